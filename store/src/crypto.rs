//! Encryption at rest. Every value the store writes (records, outbox entries) is sealed with
//! AES-256-GCM under a random data key, with a fresh random 96-bit nonce per value. The data key
//! is wrapped by a key derived from the user's password with Argon2id (19 MiB, t = 2), and
//! exists unwrapped only in memory, between unlock and lock.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// Prefix of a sealed value (format version 1).
const SEALED: &str = "e1:";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("feil passord")]
    WrongPassword,
    #[error("enheten er låst")]
    Locked,
    #[error("kryptert data kan ikke leses")]
    Damaged,
    #[error("tilfeldige tall er ikke tilgjengelige i denne nettleseren")]
    Random,
}

/// The wrapped data key as stored in `meta` (not secret without the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMaterial {
    pub v: u32,
    /// Argon2id memory (KiB), iterations, lanes.
    pub m: u32,
    pub t: u32,
    pub p: u32,
    pub salt: String,
    /// The data key, sealed under the password key.
    pub wrapped: String,
}

/// An unlocked data key.
pub struct DataKey(Aes256Gcm);

fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|_| CryptoError::Random)?;
    Ok(b)
}

fn password_key(
    password: &str,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> Result<Aes256Gcm, CryptoError> {
    let params = Params::new(m, t, p, Some(32)).map_err(|_| CryptoError::Damaged)?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|_| CryptoError::Damaged)?;
    Aes256Gcm::new_from_slice(out.as_ref()).map_err(|_| CryptoError::Damaged)
}

fn seal_with(cipher: &Aes256Gcm, plaintext: &[u8]) -> Result<String, CryptoError> {
    let nonce = random::<12>()?;
    let ct = cipher
        .encrypt(Nonce::from_slice(&nonce), plaintext)
        .map_err(|_| CryptoError::Damaged)?;
    let mut blob = Vec::with_capacity(12 + ct.len());
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&ct);
    Ok(format!("{SEALED}{}", B64.encode(blob)))
}

fn open_with(cipher: &Aes256Gcm, sealed: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let blob = sealed
        .strip_prefix(SEALED)
        .and_then(|b| B64.decode(b).ok())
        .filter(|b| b.len() > 12)
        .ok_or(CryptoError::Damaged)?;
    let (nonce, ct) = blob.split_at(12);
    cipher
        .decrypt(Nonce::from_slice(nonce), ct)
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Damaged)
}

impl DataKey {
    /// A new random data key, and its wrapping under `password`.
    pub fn create(password: &str) -> Result<(DataKey, KeyMaterial), CryptoError> {
        let (m, t, p) = (19 * 1024, 2, 1);
        let salt = random::<16>()?;
        let raw = Zeroizing::new(random::<32>()?);
        let wrapped = seal_with(&password_key(password, &salt, m, t, p)?, raw.as_ref())?;
        let key = Aes256Gcm::new_from_slice(raw.as_ref()).map_err(|_| CryptoError::Damaged)?;
        Ok((
            DataKey(key),
            KeyMaterial {
                v: 1,
                m,
                t,
                p,
                salt: B64.encode(salt),
                wrapped,
            },
        ))
    }

    /// Unwraps the data key with the password; a wrong password fails the AEAD check.
    pub fn unlock(password: &str, material: &KeyMaterial) -> Result<DataKey, CryptoError> {
        let salt = B64
            .decode(&material.salt)
            .map_err(|_| CryptoError::Damaged)?;
        let kek = password_key(password, &salt, material.m, material.t, material.p)?;
        let raw = open_with(&kek, &material.wrapped).map_err(|_| CryptoError::WrongPassword)?;
        Aes256Gcm::new_from_slice(&raw)
            .map(DataKey)
            .map_err(|_| CryptoError::Damaged)
    }

    /// The same data key wrapped under a new password (a fresh salt; the records stay as they
    /// are sealed). Fails with [`CryptoError::WrongPassword`] when `old` does not open it.
    pub fn rewrap(
        old: &str,
        new: &str,
        material: &KeyMaterial,
    ) -> Result<KeyMaterial, CryptoError> {
        let salt = B64
            .decode(&material.salt)
            .map_err(|_| CryptoError::Damaged)?;
        let kek = password_key(old, &salt, material.m, material.t, material.p)?;
        let raw = open_with(&kek, &material.wrapped).map_err(|_| CryptoError::WrongPassword)?;
        let salt = random::<16>()?;
        let wrapped = seal_with(
            &password_key(new, &salt, material.m, material.t, material.p)?,
            &raw,
        )?;
        Ok(KeyMaterial {
            salt: B64.encode(salt),
            wrapped,
            ..material.clone()
        })
    }

    pub fn seal(&self, plaintext: &str) -> Result<String, CryptoError> {
        seal_with(&self.0, plaintext.as_bytes())
    }

    pub fn open(&self, sealed: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        open_with(&self.0, sealed)
    }
}
