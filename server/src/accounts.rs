//! Accounts: password hashing (Argon2id), one-time passwords, session tokens. Storage lives in
//! `storage::accounts`; this is the part with the rules.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use duken_domain::account::{check_password, check_username, PasswordError, Role};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::storage::accounts::UserRow;
use crate::storage::{Storage, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "ugyldig brukernavn: bruk 2-64 små bokstaver, tall, punktum, bindestrek eller understrek"
    )]
    Username,
    #[error("ukjent rolle «{0}» (familiepartner, teamleder, kontaktperson, admin)")]
    Role(String),
    #[error("visningsnavnet må fylles ut")]
    DisplayName,
    #[error("{0}")]
    Password(#[from] PasswordError),
    #[error("fant ingen bruker «{0}»")]
    NoSuchUser(String),
    #[error("kunne ikke lage passord-hash")]
    Hash,
    #[error("det nåværende passordet stemmer ikke")]
    WrongCurrentPassword,
    #[error("det nye passordet må være et annet enn det du har nå")]
    SamePassword,
    #[error("passordet ble nettopp byttet fra en annen enhet; bruk det nye, eller spør teamlederen om et nytt")]
    ChangedMeanwhile,
    #[error("tilgangen «{0}» kan ikke gis til en {1}")]
    Grant(String, String),
    #[error("familien er ikke synkronisert til serveren ennå")]
    NoSuchFamily,
    #[error("familien har allerede to familiepartnere")]
    TooManyPartners,
    #[error("brukeren har ingen tilgang til familien")]
    NoGrant,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Argon2id with the crate's defaults: m = 19 MiB, t = 2, p = 1 (OWASP's recommended minimum).
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AccountError::Hash)
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random password for a new account or a reset: 20 characters from an alphabet without
/// look-alikes, in groups of five (about 100 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A new session token (given to the device once) and the hash the server keeps.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Creates an account with the user's own password (scripts, tests: `--password-stdin`).
pub async fn create_user(
    storage: &dyn Storage,
    username: &str,
    display_name: &str,
    role: &str,
    password: &str,
    team: Option<&str>,
) -> Result<UserRow, AccountError> {
    create_user_as(storage, username, display_name, role, password, team, false).await
}

/// Creates an account; `one_time`: the password was generated and given to the user, who
/// must choose their own at the first login (nothing else is served until then).
pub async fn create_user_as(
    storage: &dyn Storage,
    username: &str,
    display_name: &str,
    role: &str,
    password: &str,
    team: Option<&str>,
    one_time: bool,
) -> Result<UserRow, AccountError> {
    if !check_username(username) {
        return Err(AccountError::Username);
    }
    let role = Role::parse(role).ok_or_else(|| AccountError::Role(role.to_owned()))?;
    if display_name.trim().is_empty() {
        return Err(AccountError::DisplayName);
    }
    check_password(password)?;
    let team_id = match team.map(str::trim).filter(|t| !t.is_empty()) {
        Some(name) => Some(storage.team_id(name).await?),
        None => None,
    };
    let user = UserRow {
        id: Uuid::now_v7().to_string(),
        username: username.to_owned(),
        display_name: display_name.trim().to_owned(),
        role: role.as_str().to_owned(),
        password_hash: hash_password(password)?,
        disabled_at: None,
        created_at: now(),
        team_id,
        one_time_password_at: one_time.then(now),
    };
    storage.create_user(&user).await?;
    Ok(user)
}

/// Sets a user's password by the command line; `one_time` as for [`create_user_as`].
pub async fn reset_password(
    storage: &dyn Storage,
    username: &str,
    password: &str,
    one_time: bool,
) -> Result<(), AccountError> {
    check_password(password)?;
    let user = storage
        .user_by_username(username)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    storage
        .set_password(&user.id, &hash_password(password)?, one_time.then(now))
        .await?;
    Ok(())
}

/// The user's own choice of password, in the app: the current one must be right, the new
/// one must follow the rules and differ from it. Clears a one-time password.
pub async fn change_password(
    storage: &dyn Storage,
    user: &UserRow,
    current: &str,
    new: &str,
) -> Result<(), AccountError> {
    if !verify_password(&user.password_hash, current) {
        return Err(AccountError::WrongCurrentPassword);
    }
    if new == current {
        return Err(AccountError::SamePassword);
    }
    check_password(new)?;
    // Against the hash this request verified: a change from another device in between wins,
    // and this one is told, rather than both "succeeding" with the last one silently kept.
    if !storage
        .replace_password(&user.id, &user.password_hash, &hash_password(new)?)
        .await?
    {
        return Err(AccountError::ChangedMeanwhile);
    }
    Ok(())
}

/// Disables the account and ends all its sessions.
pub async fn disable_user(storage: &dyn Storage, username: &str) -> Result<(), AccountError> {
    let user = storage
        .user_by_username(username)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    storage.disable_user(&user.id, now()).await?;
    Ok(())
}

/// Gives a user access to a family: `partner` (read and write; familiepartner only) or `reader`
/// (any role: a contact person, a leader of another team, an administrator who must look).
pub async fn grant(
    storage: &dyn Storage,
    family: uuid::Uuid,
    username: &str,
    access: &str,
) -> Result<(), AccountError> {
    let user = storage
        .user_by_username(username)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    let ok = matches!(
        (access, user.role()),
        ("partner", Some(Role::Familiepartner)) | ("reader", Some(_))
    );
    if !ok {
        return Err(AccountError::Grant(access.to_owned(), user.role.clone()));
    }
    if storage.family_team(&family.to_string()).await?.is_none() {
        return Err(AccountError::NoSuchFamily);
    }
    // The model: one or two partners per family (two at the start is recommended).
    if access == "partner" {
        let partners = storage.partners_of(&family.to_string()).await?;
        if partners.len() >= 2 && !partners.contains(&user.id) {
            return Err(AccountError::TooManyPartners);
        }
    }
    storage
        .grant(&family.to_string(), &user.id, access, now())
        .await?;
    Ok(())
}

/// Takes a user's grant on a family away.
pub async fn revoke(
    storage: &dyn Storage,
    family: uuid::Uuid,
    username: &str,
) -> Result<(), AccountError> {
    let user = storage
        .user_by_username(username)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    if !storage.revoke(&family.to_string(), &user.id).await? {
        return Err(AccountError::NoGrant);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("riktig hest batteri stift").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "riktig hest batteri stift"));
        assert!(!verify_password(&h, "feil hest batteri stift"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn generated_secrets_are_long_and_distinct() {
        let a = generate_password();
        assert_eq!(a.len(), 23);
        assert!(check_password(&a).is_ok());
        assert_ne!(a, generate_password());
        let (token, hash) = new_token();
        assert_eq!(token.len(), 64);
        assert_eq!(token_hash(&token), hash);
    }
}
