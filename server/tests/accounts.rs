//! Accounts on SQLite and PostgreSQL, and the `user` command line against a real database file.

#[macro_use]
mod common;

use common::{cli, Backend, TempDir, TestServer};
use duken_server::accounts::{self, new_token, now, verify_password, AccountError};
use duken_server::storage::accounts::SessionRow;
use duken_server::storage::{self, StorageError};
use uuid::Uuid;

on_both!(
    create_find_and_refuse_duplicates,
    bad_input_is_refused_with_reasons,
    reset_password_replaces_the_hash,
    disabling_ends_every_session,
);

const PW: &str = "kaffe på kjøkkenbordet";

async fn create_find_and_refuse_duplicates(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    let kari = accounts::create_user(st, "kari", "Kari Nordmann", "familiepartner", PW, None)
        .await
        .expect("created");
    let found = st
        .user_by_username("kari")
        .await
        .expect("query")
        .expect("found");
    assert_eq!(found, kari);
    assert!(
        found.password_hash.starts_with("$argon2id$"),
        "stored as Argon2id, never plain"
    );
    assert!(!found.password_hash.contains(PW));
    assert!(verify_password(&found.password_hash, PW));
    let again = accounts::create_user(st, "kari", "Kari To", "teamleder", PW, None).await;
    assert!(
        matches!(
            again,
            Err(AccountError::Storage(StorageError::UsernameTaken))
        ),
        "{again:?}"
    );
    let users = st.users().await.expect("list");
    assert_eq!(users.iter().filter(|u| u.username == "kari").count(), 1);
}

async fn bad_input_is_refused_with_reasons(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    let cases = [
        ("Kari N", "familiepartner", PW, "ugyldig brukernavn"),
        ("kari", "sjef", PW, "ukjent rolle «sjef»"),
        ("kari", "admin", "kort", "passordet må ha minst 12 tegn"),
    ];
    for (user, role, pw, msg) in cases {
        let err = accounts::create_user(st, user, "Kari", role, pw, None)
            .await
            .expect_err("refused");
        assert!(err.to_string().contains(msg), "{err}");
    }
    // Only the test server's own logged-in user exists.
    let users = st.users().await.expect("list");
    assert!(users.iter().all(|u| u.username == "partner"), "{users:?}");
}

async fn reset_password_replaces_the_hash(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    accounts::create_user(st, "ola", "Ola", "teamleder", PW, None)
        .await
        .expect("created");
    accounts::reset_password(st, "ola", "et helt nytt passord", false)
        .await
        .expect("reset");
    let ola = st
        .user_by_username("ola")
        .await
        .expect("query")
        .expect("found");
    assert!(verify_password(&ola.password_hash, "et helt nytt passord"));
    assert!(!verify_password(&ola.password_hash, PW));
    let missing = accounts::reset_password(st, "nobody", "et helt nytt passord", false).await;
    assert!(matches!(missing, Err(AccountError::NoSuchUser(_))));
}

async fn disabling_ends_every_session(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    let kari = accounts::create_user(st, "kari", "Kari", "familiepartner", PW, None)
        .await
        .expect("created");
    for device in ["Nettbrett", "Telefon"] {
        let (_token, hash) = new_token();
        let t = now();
        st.create_session(&SessionRow {
            id: Uuid::now_v7().to_string(),
            user_id: kari.id.clone(),
            token_hash: hash,
            device_name: device.into(),
            created_at: t,
            last_seen_at: t,
            expires_at: t + 3600,
            revoked_at: None,
        })
        .await
        .expect("session");
    }
    assert!(st
        .sessions_of(&kari.id)
        .await
        .expect("list")
        .iter()
        .all(|s| s.revoked_at.is_none()));
    accounts::disable_user(st, "kari").await.expect("disabled");
    let user = st
        .user_by_username("kari")
        .await
        .expect("query")
        .expect("found");
    assert!(user.disabled_at.is_some());
    let sessions = st.sessions_of(&kari.id).await.expect("list");
    assert_eq!(sessions.len(), 2);
    assert!(
        sessions.iter().all(|s| s.revoked_at.is_some()),
        "every session ended"
    );
}

#[tokio::test]
async fn command_line_creates_resets_and_disables_users() {
    let dir = TempDir(std::env::temp_dir().join(format!("duken-cli-{}", Uuid::now_v7())));
    std::fs::create_dir_all(&dir.0).expect("dir");
    let db = format!("sqlite://{}/duken.db", dir.0.display());

    let (ok, out, err) = cli(
        &db,
        &[
            "user",
            "create",
            "kari",
            "--name",
            "Kari Nordmann",
            "--role",
            "familiepartner",
            "--team",
            "Team Nord",
        ],
        None,
    );
    assert!(ok, "{err}");
    // The team is said back, so a mistyped one (which makes a new team) is seen at once.
    assert!(
        out.starts_with("Opprettet kari (Kari Nordmann, familiepartner) i team «Team Nord»."),
        "{out}"
    );
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("Engangspassord: "))
        .expect("a one-time password is printed")
        .to_owned();
    let (ok, listed, err) = cli(&db, &["user", "list"], None);
    assert!(ok, "{err}");
    assert_eq!(
        listed.trim(),
        "kari\tfamiliepartner\tTeam Nord\tKari Nordmann (har engangspassord)"
    );

    let (ok, _, err) = cli(
        &db,
        &[
            "user", "create", "kari", "--name", "Kari", "--role", "admin",
        ],
        None,
    );
    assert!(!ok);
    assert!(err.contains("brukernavnet er allerede i bruk"), "{err}");

    let (ok, _, err) = cli(
        &db,
        &[
            "user",
            "create",
            "per",
            "--name",
            "Per",
            "--role",
            "teamleder",
            "--password-stdin",
        ],
        Some("for kort\n"),
    );
    assert!(!ok);
    assert!(err.contains("minst 12 tegn"), "{err}");

    let (ok, out, err) = cli(
        &db,
        &["user", "reset-password", "kari", "--password-stdin"],
        Some(&format!("{PW}\n")),
    );
    assert!(ok, "{err}");
    assert!(
        !out.contains(PW),
        "a password given on stdin is never echoed"
    );

    let (ok, out, _) = cli(&db, &["user", "disable", "kari"], None);
    assert!(ok);
    assert!(out.contains("deaktivert"));

    let (ok, out, _) = cli(&db, &["user", "list"], None);
    assert!(ok);
    assert!(
        out.contains("kari\tfamiliepartner\tTeam Nord\tKari Nordmann (deaktivert)"),
        "{out}"
    );

    let st = storage::connect(&db).await.expect("open");
    let kari = st
        .user_by_username("kari")
        .await
        .expect("query")
        .expect("found");
    assert!(verify_password(&kari.password_hash, PW));
    assert!(!verify_password(&kari.password_hash, &generated));
    assert!(kari.disabled_at.is_some());
    // A password given on stdin is the user's own: no first-login change is asked for.
    assert_eq!(kari.one_time_password_at, None);
}
