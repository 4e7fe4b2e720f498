//! Who is asking, once the HTTP layer has checked it: a device session of an enabled user.
//! Plain data below `http/`, so the access rules ([`crate::access`]) and the access log
//! ([`crate::audit`]) take it without depending on the extractor that builds it.

use duken_domain::account::Role;
use uuid::Uuid;

use crate::storage::accounts::UserRow;

/// A valid, unrevoked, unexpired session of an enabled user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub user: UserRow,
    pub role: Role,
}
