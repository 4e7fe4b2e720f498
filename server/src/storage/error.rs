//! Why a storage call failed; `crate::error::ApiError` turns each into its HTTP answer.

use duken_domain::Kind;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A change names a record that already belongs to another family or is of another kind.
    #[error("posten finnes allerede i en annen familie eller som en annen type")]
    IdentityMismatch { record: Uuid, change: Uuid },
    /// The pusher may not write this family (decided inside the push's transaction).
    #[error("du har ikke tilgang til å endre denne familien")]
    Forbidden { family: Uuid },
    /// The pusher reads this family and may write some kinds of record in it, not these
    /// (a contact person records evaluations, not the partner's report).
    #[error("du har lesetilgang til denne familien og kan ikke endre dette")]
    ForbiddenKinds { family: Uuid, kinds: Vec<Kind> },
    /// A change id already stored with other content: acknowledging it would drop this one.
    #[error("endringens id er allerede brukt av en annen endring")]
    ChangeIdReused { change: Uuid },
    /// Too many saves of the same thing at once; the client should try again.
    #[error("mange lagret det samme i samme øyeblikk; prøv igjen")]
    Contended,
    #[error("brukernavnet er allerede i bruk")]
    UsernameTaken,
    /// The access log's writer could not commit (the request must not answer as if logged).
    #[error("tilgangsloggen kan ikke skrives: {0}")]
    AuditUnavailable(String),
    #[error("lagret endring kan ikke leses: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}
