//! Text helpers every floor shows messages with.

/// An error or a server's message as a sentence on its own: capital first letter, a full
/// stop at the end («feil brukernavn eller passord» → «Feil brukernavn eller passord.»). The
/// messages are phrased as fragments so that they also fit inside a longer sentence.
pub fn sentence(message: impl std::fmt::Display) -> String {
    let text = message.to_string();
    let text = text.trim();
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?', '»', ')']) {
        out.push('.');
    }
    out
}
