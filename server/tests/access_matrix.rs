//! Every role against its own family, another family of its team and another team's family, on
//! push and pull, on SQLite and PostgreSQL: 0 leaks.

#[macro_use]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{family_change, login_session, meeting_change, Backend, TestServer, PASSWORD};
use duken_domain::protocol::PROTOCOL_VERSION;
use duken_domain::Change;
use duken_server::accounts;
use serde_json::{json, Value};
use uuid::Uuid;

on_both!(every_role_sees_and_changes_exactly_what_it_may);

async fn push(s: &TestServer, token: &str, changes: &[Change]) -> (u16, Value) {
    let res = s
        .client
        .post(s.url("/push"))
        .bearer_auth(token)
        .json(&json!({ "protocol": PROTOCOL_VERSION, "changes": changes }))
        .send()
        .await
        .expect("send");
    (res.status().as_u16(), res.json().await.expect("json"))
}

/// Everything a user's pull returns: (family, change id) pairs.
async fn pull_all(s: &TestServer, token: &str) -> BTreeSet<(Uuid, Uuid)> {
    let mut since = 0;
    let mut seen = BTreeSet::new();
    loop {
        let res = s
            .client
            .get(s.url(&format!("/pull?since={since}&limit=2")))
            .bearer_auth(token)
            .send()
            .await
            .expect("send");
        assert_eq!(res.status().as_u16(), 200);
        let body: Value = res.json().await.expect("json");
        let changes: Vec<Change> =
            serde_json::from_value(body["changes"].clone()).expect("changes");
        seen.extend(changes.iter().map(|c| (c.family, c.id)));
        since = body["cursor"].as_i64().expect("cursor");
        if body["remaining"] == 0 {
            return seen;
        }
    }
}

async fn every_role_sees_and_changes_exactly_what_it_may(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    let people = [
        ("pa1", "familiepartner", Some("Team A")),
        ("pa2", "familiepartner", Some("Team A")),
        ("la", "teamleder", Some("Team A")),
        ("pb", "familiepartner", Some("Team B")),
        ("lb", "teamleder", Some("Team B")),
        ("kp", "kontaktperson", None),
        ("adm", "admin", None),
    ];
    let mut token = BTreeMap::new();
    for (name, role, team) in people {
        accounts::create_user(st, name, name, role, PASSWORD, team)
            .await
            .expect("user");
        token.insert(name, login_session(st, name).await);
    }

    // Each partner creates a family (their first push registers it) with a meeting.
    let mut family = BTreeMap::new();
    let mut ids: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for (owner, name) in [("pa1", "A1"), ("pa2", "A2"), ("pb", "B")] {
        let fam = Uuid::now_v7();
        let batch = vec![
            family_change(fam, 1, &format!("Familie {name}")),
            meeting_change(fam, "note", json!(name)),
        ];
        let (status, body) = push(&s, &token[owner], &batch).await;
        assert_eq!(status, 200, "{owner}: {body}");
        ids.insert(fam, batch.iter().map(|c| c.id).collect());
        family.insert(name, fam);
    }
    accounts::grant(st, family["A1"], "kp", "reader")
        .await
        .expect("grant");
    // A contact person cannot be made a partner; a family must exist to be granted.
    assert!(accounts::grant(st, family["A1"], "kp", "partner")
        .await
        .is_err());
    assert!(accounts::grant(st, Uuid::now_v7(), "kp", "reader")
        .await
        .is_err());

    let sees = |names: &[&str]| -> BTreeSet<(Uuid, Uuid)> {
        names
            .iter()
            .flat_map(|n| ids[&family[n]].iter().map(|c| (family[n], *c)))
            .collect()
    };
    let expected_pull: [(&str, &[&str]); 7] = [
        ("pa1", &["A1"]),
        ("pa2", &["A2"]),
        ("la", &["A1", "A2"]),
        ("pb", &["B"]),
        ("lb", &["B"]),
        ("kp", &["A1"]),
        ("adm", &[]),
    ];
    for (who, names) in expected_pull {
        assert_eq!(
            pull_all(&s, &token[who]).await,
            sees(names),
            "{who} pulls exactly {names:?}"
        );
    }

    let writes: [(&str, &[&str]); 7] = [
        ("pa1", &["A1"]),
        ("pa2", &["A2"]),
        ("la", &[]),
        ("pb", &["B"]),
        ("lb", &[]),
        ("kp", &[]),
        ("adm", &[]),
    ];
    for (who, allowed) in writes {
        for target in ["A1", "A2", "B"] {
            let change = meeting_change(family[target], "note", json!(format!("{who} skriver")));
            let (status, body) = push(&s, &token[who], &[change]).await;
            let want = if allowed.contains(&target) { 200 } else { 403 };
            assert_eq!(status, want, "{who} writing to {target}: {body}");
        }
        // Nobody but a partner may start a family.
        let (status, _) = push(&s, &token[who], &[family_change(Uuid::now_v7(), 1, "Ny")]).await;
        let want = if who.starts_with('p') { 200 } else { 403 };
        assert_eq!(status, want, "{who} creating a family");
    }

    // The family's access log: exactly those who may read the family (its partners show it to
    // the family; the team leader and the contact person see who else has looked); an
    // administrator only with a grant (none here); nobody else learns that the family exists.
    for (who, readable) in expected_pull {
        for target in ["A1", "A2", "B"] {
            let res = s
                .client
                .get(s.url(&format!("/families/{}/access-log", family[target])))
                .bearer_auth(&token[who])
                .send()
                .await
                .expect("send");
            let want = if readable.contains(&target) { 200 } else { 404 };
            assert_eq!(
                res.status().as_u16(),
                want,
                "{who} reading {target}'s access log"
            );
        }
    }

    // A batch touching one family the user may not write is refused whole.
    let own = meeting_change(family["A1"], "note", json!("eget"));
    let other = meeting_change(family["B"], "note", json!("fremmed"));
    let (status, body) = push(&s, &token["pa1"], &[own.clone(), other]).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"], "forbidden");
    assert!(
        !pull_all(&s, &token["pa1"])
            .await
            .contains(&(family["A1"], own.id)),
        "no side effects"
    );

    // A second partner may join a family; a third may not.
    let fam_c = Uuid::now_v7();
    assert_eq!(
        push(&s, &token["pa1"], &[family_change(fam_c, 1, "Familie C")])
            .await
            .0,
        200
    );
    accounts::grant(st, fam_c, "pa2", "partner")
        .await
        .expect("second partner");
    accounts::create_user(st, "pa3", "pa3", "familiepartner", PASSWORD, Some("Team A"))
        .await
        .expect("user");
    let third = accounts::grant(st, fam_c, "pa3", "partner").await;
    assert!(
        matches!(third, Err(accounts::AccountError::TooManyPartners)),
        "{third:?}"
    );
    let note = meeting_change(fam_c, "note", json!("pa2 er med"));
    assert_eq!(
        push(&s, &token["pa2"], std::slice::from_ref(&note)).await.0,
        200,
        "the second partner writes"
    );
    assert!(pull_all(&s, &token["pa2"])
        .await
        .contains(&(fam_c, note.id)));

    // The granted family shows in the list of visible families, and can be back-filled alone.
    let res = s
        .client
        .get(s.url("/families"))
        .bearer_auth(&token["pa2"])
        .send()
        .await
        .expect("send");
    let visible: Value = res.json().await.expect("json");
    let visible: BTreeSet<String> = visible["families"]
        .as_array()
        .expect("families")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert!(visible.contains(&fam_c.to_string()) && visible.contains(&family["A2"].to_string()));
    assert!(
        !visible.contains(&family["A1"].to_string()) && !visible.contains(&family["B"].to_string())
    );
    for (fam, expect_some) in [(fam_c, true), (family["B"], false)] {
        let res = s
            .client
            .get(s.url(&format!("/pull?since=0&family={fam}")))
            .bearer_auth(&token["pa2"])
            .send()
            .await
            .expect("send");
        let body: Value = res.json().await.expect("json");
        let changes: Vec<Change> =
            serde_json::from_value(body["changes"].clone()).expect("changes");
        assert_eq!(!changes.is_empty(), expect_some, "{fam}");
        assert!(changes.iter().all(|c| c.family == fam), "only that family");
    }
}
