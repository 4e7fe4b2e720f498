//! Codes: the stable, machine-readable names of a template's sections, rows, items and of
//! report sections (`familiens-styrker`), kept in field names and never shown. One rule for
//! every kind of template, below the features that own templates.

/// Longest code.
pub const MAX_CODE: usize = 60;

/// Lowercase ASCII letters, digits, `-` and `_`, 1 to [`MAX_CODE`] bytes.
pub fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A refused code as an error message shows it: at most [`MAX_CODE`] characters.
pub fn shown(code: &str) -> String {
    code.chars().take(MAX_CODE).collect()
}
