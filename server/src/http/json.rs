//! Extractors whose rejections are [`ApiError`]s in bokmål: a malformed, oversized or slow body,
//! a bad id in the path, each gets the same JSON error as everything else, naming the field
//! and what is wrong, never the parser's English internals.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest request body accepted (a full push batch of notes fits well within it).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !json {
            return Err(ApiError::BadRequest(
                "forespørselen må ha Content-Type: application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| body_error(&e))?;
        parse(&bytes).map(ApiJson)
    }
}

/// Why a body could not be read, in words: too large, too slow, or cut off.
pub fn body_error(e: &(dyn std::error::Error + 'static)) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return ApiError::TooLarge { limit: BODY_LIMIT };
        }
        if s.is::<tower_http::timeout::TimeoutError>() {
            return ApiError::TooSlow;
        }
        source = s.source();
    }
    ApiError::BadRequest("forespørselen ble brutt før hele innholdet kom fram".into())
}

/// Parses JSON into `T`; a failure says where and what, in bokmål.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| explain(&e))?;
    de.end()
        .map_err(|_| ApiError::BadRequest("ugyldig JSON i forespørselen".into()))?;
    Ok(value)
}

/// Like [`parse`], from a value already read (a push body after its protocol was checked).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| explain(&e))
}

fn explain(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    let inner = e.inner();
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::BadRequest("ugyldig JSON i forespørselen".into())
        }
        Category::Data => ApiError::Invalid(describe(&e.path().to_string(), &inner.to_string())),
    }
}

/// `path` as serde_path_to_error writes it (`changes[0].kind`, `.` for the whole body) and
/// serde's message, into a sentence naming the field.
pub fn describe(path: &str, message: &str) -> String {
    let between = |s: &str| s.split('`').nth(1).unwrap_or_default().to_owned();
    let field = |name: &str| match path {
        "." | "" => name.to_owned(),
        p => format!("{p}.{name}"),
    };
    let here = match path {
        "." | "" => "forespørselen".to_owned(),
        p => format!("«{p}»"),
    };
    if message.starts_with("missing field") {
        format!("feltet «{}» mangler", field(&between(message)))
    } else if message.starts_with("unknown field") {
        format!("feltet «{}» er ukjent", field(&between(message)))
    } else if message.starts_with("unknown variant") {
        format!("{here} har en ukjent verdi («{}»)", between(message))
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.split(", expected ").nth(1).unwrap_or_default();
        format!("{here} har feil type; ventet {}", expected_nb(expected))
    } else if message.starts_with("invalid length") {
        format!("{here} har feil antall elementer")
    } else {
        format!("{here} har en ugyldig verdi")
    }
}

fn expected_nb(expected: &str) -> &'static str {
    let e = expected.split(" at line ").next().unwrap_or(expected);
    if [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize", "integer",
    ]
    .iter()
    .any(|t| e.contains(t))
    {
        "et heltall"
    } else if e.contains("f64") || e.contains("f32") || e.contains("number") {
        "et tall"
    } else if e.contains("bool") {
        "sann eller usann"
    } else if e.contains("sequence") || e.contains("Vec") || e.contains("array") {
        "en liste"
    } else if e.contains("map") || e.contains("struct") {
        "et objekt"
    } else if e.contains("UUID") || e.contains("uuid") {
        "en id (UUID)"
    } else if e.contains("str") || e.contains("char") {
        "tekst"
    } else {
        "en annen type"
    }
}

/// A path parameter; one that does not parse (an id that is not a UUID) is a JSON 400.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|_| ApiError::BadRequest("id-en i adressen er ikke en gyldig id".into()))
    }
}

/// A query string's parameters, each read with a message naming it when it does not parse.
pub struct ApiQuery(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for ApiQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|_| ApiError::BadRequest("spørringen i adressen kan ikke leses".into()))
    }
}

impl ApiQuery {
    fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An integer parameter, if given.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.raw(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::BadRequest(format!("«{name}» må være et heltall")))
            })
            .transpose()
    }

    /// A UUID parameter, if given.
    pub fn uuid(&self, name: &str) -> Result<Option<uuid::Uuid>, ApiError> {
        self.raw(name)
            .map(|v| {
                uuid::Uuid::parse_str(v)
                    .map_err(|_| ApiError::BadRequest(format!("«{name}» må være en gyldig id")))
            })
            .transpose()
    }

    /// A page size: `default` when absent, else 1..=`max`.
    pub fn limit(&self, default: u32, max: u32) -> Result<u32, ApiError> {
        match self.int("limit")? {
            None => Ok(default),
            Some(n) if (1..=i64::from(max)).contains(&n) => Ok(n as u32),
            Some(_) => Err(ApiError::BadRequest(format!(
                "«limit» må være mellom 1 og {max}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn messages_name_the_field_in_bokmal() {
        assert_eq!(
            describe("changes[0]", "missing field `kind` at line 1 column 9"),
            "feltet «changes[0].kind» mangler"
        );
        assert_eq!(
            describe(
                "changes[2].kind",
                "unknown variant `x`, expected one of `family`"
            ),
            "«changes[2].kind» har en ukjent verdi («x»)"
        );
        assert_eq!(
            describe("limit", "invalid type: string \"a\", expected u32"),
            "«limit» har feil type; ventet et heltall"
        );
        assert_eq!(
            describe(".", "invalid type: null, expected struct X"),
            "forespørselen har feil type; ventet et objekt"
        );
    }
}
