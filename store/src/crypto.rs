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

/// An unlocked data key: the software cipher (every seal, and opening one value), and once
/// [`DataKey::speed_up`] has run, the same key in the browser's WebCrypto for opening many
/// values at once (native AES, off the main thread: unlocking 10,000 records is dominated by
/// opening them).
pub struct DataKey {
    cipher: Aes256Gcm,
    /// The raw key, kept only until WebCrypto holds it (non-extractable), then dropped.
    raw: Option<Zeroizing<[u8; 32]>>,
    web: Option<(web_sys::SubtleCrypto, web_sys::CryptoKey)>,
}

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
    let blob = parts(sealed)?;
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
        Ok((
            DataKey::from_raw(raw)?,
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
        let raw: [u8; 32] = raw
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::Damaged)?;
        DataKey::from_raw(Zeroizing::new(raw))
    }

    fn from_raw(raw: Zeroizing<[u8; 32]>) -> Result<DataKey, CryptoError> {
        let cipher = Aes256Gcm::new_from_slice(raw.as_ref()).map_err(|_| CryptoError::Damaged)?;
        Ok(DataKey {
            cipher,
            raw: Some(raw),
            web: None,
        })
    }

    /// Hands the key to WebCrypto as a non-extractable AES-GCM key, for [`DataKey::open_many`].
    /// Where WebCrypto is missing (an insecure origin) or refuses, the software cipher stays
    /// the only one: slower, same result.
    pub async fn speed_up(&mut self) {
        let Some(raw) = self.raw.take() else { return };
        self.web = web::import(raw.as_ref()).await;
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
        seal_with(&self.cipher, plaintext.as_bytes())
    }

    pub fn open(&self, sealed: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        open_with(&self.cipher, sealed)
    }

    /// Opens many sealed values, in order: all at once in WebCrypto when it holds the key, one
    /// by one in software otherwise. Any value that does not open fails the whole call.
    pub async fn open_many(
        &self,
        sealed: &[String],
    ) -> Result<Vec<Zeroizing<Vec<u8>>>, CryptoError> {
        match &self.web {
            Some((subtle, key)) => web::open_all(subtle, key, sealed).await,
            None => sealed.iter().map(|s| self.open(s)).collect(),
        }
    }
}

/// Split a sealed value into its nonce and ciphertext (with the tag at its end, the layout
/// WebCrypto's AES-GCM reads too).
fn parts(sealed: &str) -> Result<Vec<u8>, CryptoError> {
    sealed
        .strip_prefix(SEALED)
        .and_then(|b| B64.decode(b).ok())
        .filter(|b| b.len() > 12)
        .ok_or(CryptoError::Damaged)
}

mod web {
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CryptoKey, SubtleCrypto};
    use zeroize::Zeroizing;

    use base64::Engine;

    use super::{CryptoError, B64};

    fn subtle() -> Option<SubtleCrypto> {
        let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
        let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
        subtle.dyn_into::<SubtleCrypto>().ok()
    }

    fn algorithm() -> Object {
        let a = Object::new();
        let _ = Reflect::set(&a, &"name".into(), &"AES-GCM".into());
        a
    }

    pub(super) async fn import(raw: &[u8]) -> Option<(SubtleCrypto, CryptoKey)> {
        let subtle = subtle()?;
        let usages = Array::of1(&"decrypt".into());
        let bytes = Uint8Array::from(raw);
        let promise = subtle
            .import_key_with_object("raw", &bytes, &algorithm(), false, &usages)
            .ok()?;
        // The JS copy of the raw bytes is garbage the moment this returns; zero it first.
        bytes.fill(0, 0, raw.len() as u32);
        let key = JsFuture::from(promise).await.ok()?;
        Some((subtle, key.dyn_into::<CryptoKey>().ok()?))
    }

    pub(super) async fn open_all(
        subtle: &SubtleCrypto,
        key: &CryptoKey,
        sealed: &[String],
    ) -> Result<Vec<Zeroizing<Vec<u8>>>, CryptoError> {
        let pending = Array::new_with_length(sealed.len() as u32);
        // One parameter object and one nonce for every call: WebCrypto copies both when the call
        // is made, and 10,000 fresh JS objects cost more than the decryption.
        let iv = Uint8Array::new_with_length(12);
        let params = algorithm();
        let _ = Reflect::set(&params, &"iv".into(), &iv);
        let mut blob = Vec::new();
        for (i, s) in sealed.iter().enumerate() {
            blob.clear();
            let b64 = s.strip_prefix(super::SEALED).ok_or(CryptoError::Damaged)?;
            B64.decode_vec(b64, &mut blob)
                .map_err(|_| CryptoError::Damaged)?;
            if blob.len() <= 12 {
                return Err(CryptoError::Damaged);
            }
            let (nonce, ct) = blob.split_at(12);
            iv.copy_from(nonce);
            let promise = subtle
                .decrypt_with_object_and_u8_array(&params, key, ct)
                .map_err(|_| CryptoError::Damaged)?;
            pending.set(i as u32, promise.into());
        }
        let all = JsFuture::from(js_sys::Promise::all(&pending))
            .await
            .map_err(|_| CryptoError::Damaged)?;
        let all: Array = all.unchecked_into();
        let out = all
            .iter()
            .map(|buf: JsValue| {
                let plain = Uint8Array::new(&buf);
                let out = Zeroizing::new(plain.to_vec());
                // The JS copy cannot be freed, only cleared.
                plain.fill(0, 0, plain.length());
                out
            })
            .collect();
        Ok(out)
    }
}
