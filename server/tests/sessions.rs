//! Logging in, sessions, devices and throttling, against a real server on SQLite and PostgreSQL.

#[macro_use]
mod common;

use common::{Backend, TestServer, PASSWORD};
use duken_server::accounts;
use serde_json::{json, Value};

on_both!(
    login_gives_an_httponly_cookie_that_opens_the_api,
    wrong_password_and_unknown_user_get_the_same_answer,
    five_failures_lock_the_account_even_for_the_right_password,
    logout_ends_the_session,
    a_user_revokes_a_lost_device,
    disabling_a_user_locks_out_every_device,
    a_one_time_password_serves_nothing_until_the_user_chose_their_own,
    two_devices_changing_the_password_at_once_cannot_both_win,
);

struct Login {
    status: u16,
    body: Value,
    token: Option<String>,
    cookie: String,
}

async fn login(s: &TestServer, username: &str, password: &str, device: &str) -> Login {
    let res = s
        .client
        .post(s.url("/session"))
        .json(&json!({ "username": username, "password": password, "device_name": device }))
        .send()
        .await
        .expect("send");
    let status = res.status().as_u16();
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let token = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("duken_session="))
        .map(str::to_owned);
    Login {
        status,
        body: res.json().await.expect("json"),
        token,
        cookie,
    }
}

async fn get(s: &TestServer, path: &str, token: &str) -> u16 {
    s.client
        .get(s.url(path))
        .header("cookie", format!("duken_session={token}"))
        .send()
        .await
        .expect("send")
        .status()
        .as_u16()
}

async fn kari(s: &TestServer) {
    accounts::create_user(
        s.storage.as_ref(),
        "kari",
        "Kari Nordmann",
        "familiepartner",
        PASSWORD,
        None,
    )
    .await
    .expect("user");
}

async fn login_gives_an_httponly_cookie_that_opens_the_api(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    let l = login(&s, "Kari", PASSWORD, "Nettbrett").await;
    assert_eq!(l.status, 200, "{}", l.body);
    assert!(l.cookie.contains("HttpOnly"), "{}", l.cookie);
    assert!(l.cookie.contains("SameSite=Strict"));
    assert!(l.cookie.contains("Path=/api"));
    let token = l.token.expect("token in the cookie");
    assert_eq!(token.len(), 64);
    assert!(
        !l.body.to_string().contains(&token),
        "the token is only in the HttpOnly cookie"
    );
    assert_eq!(l.body["user"]["username"], "kari");
    assert_eq!(l.body["user"]["role"], "familiepartner");
    assert_eq!(get(&s, "/session", &token).await, 200);
    assert_eq!(get(&s, "/pull", &token).await, 200);
    assert_eq!(get(&s, "/pull", "0000").await, 401);
}

async fn wrong_password_and_unknown_user_get_the_same_answer(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    let wrong = login(&s, "kari", "ikke riktig passord", "x").await;
    let nobody = login(&s, "nobody", PASSWORD, "x").await;
    assert_eq!((wrong.status, nobody.status), (401, 401));
    assert_eq!(
        wrong.body, nobody.body,
        "no hint about which accounts exist"
    );
    assert_eq!(wrong.body["message"], "feil brukernavn eller passord");
    assert!(wrong.token.is_none() && nobody.token.is_none());
}

async fn five_failures_lock_the_account_even_for_the_right_password(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    for _ in 0..5 {
        assert_eq!(
            login(&s, "kari", "gjetter på passord", "x").await.status,
            401
        );
    }
    let locked = login(&s, "kari", PASSWORD, "x").await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(locked.body["error"], "too_many_attempts");
    assert!(locked.token.is_none());
}

async fn logout_ends_the_session(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    let token = login(&s, "kari", PASSWORD, "Telefon")
        .await
        .token
        .expect("token");
    let res = s
        .client
        .delete(s.url("/session"))
        .header("cookie", format!("duken_session={token}"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 204);
    let cleared = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(get(&s, "/pull", &token).await, 401);
}

async fn a_user_revokes_a_lost_device(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    let tablet = login(&s, "kari", PASSWORD, "Nettbrett")
        .await
        .token
        .expect("token");
    let phone = login(&s, "kari", PASSWORD, "Telefon")
        .await
        .token
        .expect("token");
    let list: Value = s
        .client
        .get(s.url("/devices"))
        .header("cookie", format!("duken_session={tablet}"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 2);
    let phone_id = list
        .iter()
        .find(|d| d["name"] == "Telefon")
        .and_then(|d| d["id"].as_str())
        .expect("phone listed");
    assert!(list
        .iter()
        .any(|d| d["name"] == "Nettbrett" && d["current"] == true));
    // Another user cannot revoke Kari's phone.
    let res = s
        .client
        .delete(s.url(&format!("/devices/{phone_id}")))
        .bearer_auth(&s.token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(get(&s, "/pull", &phone).await, 200);
    let res = s
        .client
        .delete(s.url(&format!("/devices/{phone_id}")))
        .header("cookie", format!("duken_session={tablet}"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(
        get(&s, "/pull", &phone).await,
        401,
        "the revoked phone is out"
    );
    assert_eq!(get(&s, "/pull", &tablet).await, 200, "the tablet is not");
}

async fn disabling_a_user_locks_out_every_device(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    let token = login(&s, "kari", PASSWORD, "Nettbrett")
        .await
        .token
        .expect("token");
    accounts::disable_user(s.storage.as_ref(), "kari")
        .await
        .expect("disabled");
    assert_eq!(get(&s, "/pull", &token).await, 401);
    assert_eq!(login(&s, "kari", PASSWORD, "Nettbrett").await.status, 401);
}

async fn change_password(s: &TestServer, token: &str, current: &str, new: &str) -> (u16, Value) {
    let res = s
        .client
        .post(s.url("/password"))
        .header("cookie", format!("duken_session={token}"))
        .json(&json!({ "current": current, "new": new }))
        .send()
        .await
        .expect("send");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Issue 15: the password printed by `user create` used to work for ever. Now it opens one
/// thing only, choosing one's own; then it is gone.
async fn a_one_time_password_serves_nothing_until_the_user_chose_their_own(b: Backend) {
    let s = TestServer::start(b).await;
    const ONE_TIME: &str = "abcde-fghjk-mnpqr-stuvw";
    const OWN: &str = "min egen lange setning";
    accounts::create_user_as(
        s.storage.as_ref(),
        "nina",
        "Nina Ny",
        "familiepartner",
        ONE_TIME,
        Some("Team Nord"),
        true,
    )
    .await
    .expect("user");
    let l = login(&s, "nina", ONE_TIME, "Telefon").await;
    assert_eq!(l.status, 200, "{}", l.body);
    assert_eq!(l.body["must_change_password"], true);
    let token = l.token.expect("token");
    // Who am I, and log out, work; family data does not.
    assert_eq!(get(&s, "/session", &token).await, 200);
    let (status, body) = s.get_as(&token, "/pull?since=0").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "password_change_required");
    assert_eq!(get(&s, "/families", &token).await, 403);
    assert_eq!(get(&s, "/templates", &token).await, 403);

    // Each bad try says what is wrong; none changes anything.
    let (status, body) = change_password(&s, &token, "feil nåværende passord", OWN).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["message"], "det nåværende passordet stemmer ikke");
    let (status, body) = change_password(&s, &token, ONE_TIME, ONE_TIME).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["message"],
        "det nye passordet må være et annet enn det du har nå"
    );
    let (status, body) = change_password(&s, &token, ONE_TIME, "kort").await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("minst 12 tegn")),
        "{body}"
    );

    let (status, body) = change_password(&s, &token, ONE_TIME, OWN).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["must_change_password"], false);
    assert_eq!(
        get(&s, "/pull?since=0", &token).await,
        200,
        "the same session goes on"
    );
    assert_eq!(
        login(&s, "nina", ONE_TIME, "Nettbrett").await.status,
        401,
        "the one-time password is gone"
    );
    let again = login(&s, "nina", OWN, "Nettbrett").await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["must_change_password"], false);

    // A wrong current password counts as a failed login: five, and the account waits.
    let other = again.token.expect("token");
    for _ in 0..5 {
        assert_eq!(
            change_password(&s, &other, "gjetter et passord", "noe helt annet her")
                .await
                .0,
            422
        );
    }
    let (status, body) = change_password(&s, &other, OWN, "noe helt annet her").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(login(&s, "nina", OWN, "Tredje").await.status, 429);
}

/// The same change of password sent from two devices at once (two tokens of one user): one
/// wins, the other is told (409, or 422 if the winner had already stored) and stores nothing;
/// the password is the winner's. Before the compare-and-set both answered 200.
async fn two_devices_changing_the_password_at_once_cannot_both_win(b: Backend) {
    let s = TestServer::start(b).await;
    kari(&s).await;
    for round in 0..5 {
        let current = if round == 0 {
            PASSWORD.to_owned()
        } else {
            format!("runde {round} sitt passord")
        };
        let a = login(&s, "kari", &current, "Nettbrett")
            .await
            .token
            .expect("token a");
        let b2 = login(&s, "kari", &current, "Telefon")
            .await
            .token
            .expect("token b");
        let (na, nb) = (
            format!("runde {} sitt passord", round + 1),
            format!("telefonens passord {round}"),
        );
        let ((sa, _), (sb, body_b)) = tokio::join!(
            change_password(&s, &a, &current, &na),
            change_password(&s, &b2, &current, &nb)
        );
        // The loser is told either way: 409 when both passed the check before either stored
        // (the compare-and-set caught it), 422 when the winner had stored first.
        let mut got = [sa, sb];
        got.sort_unstable();
        assert!(
            got == [200, 409] || got == [200, 422],
            "round {round}: one wins, one is told, never both ({got:?}, {body_b})"
        );
        let winner = if sa == 200 { &na } else { &nb };
        let loser = if sa == 200 { &nb } else { &na };
        // Read from storage, not by logging in: a failed login would count against the throttle.
        let stored = s
            .storage
            .user_by_username("kari")
            .await
            .expect("query")
            .expect("kari");
        assert!(
            accounts::verify_password(&stored.password_hash, winner),
            "round {round}: the winner's password"
        );
        assert!(
            !accounts::verify_password(&stored.password_hash, loser),
            "round {round}: not the loser's"
        );
        // The next round starts from a known password.
        if winner != &format!("runde {} sitt passord", round + 1) {
            let t = login(&s, "kari", winner, "Sjekk")
                .await
                .token
                .expect("token");
            let (st, body) =
                change_password(&s, &t, winner, &format!("runde {} sitt passord", round + 1)).await;
            assert_eq!(st, 200, "{body}");
        }
    }
}
