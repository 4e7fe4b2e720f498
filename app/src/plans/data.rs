//! The plans' data: a family's plans, goals and tasks, making the next plan, and its period in words.

use duken_domain::cloth::Status;
use duken_domain::dates::iso_date;
use duken_domain::family::Family;
use duken_domain::plan::{carried_over, period_on, period_span, Goal, Plan, Task};
use duken_domain::Kind;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{list_of, new_writes, save, text_or_null, Core, SaveError};
use crate::ui::{norwegian_date, today};

/// A family's plans, oldest period first.
pub fn plans_of(core: Core, family: Uuid) -> Vec<Plan> {
    let mut all = list_of(core, family, Plan::from_record);
    all.sort_by_key(|p| (p.period, p.date, p.id));
    all
}

pub(super) fn goals_of(core: Core, family: Uuid, plan: Uuid) -> Vec<Goal> {
    let mut all = list_of(core, family, Goal::from_record);
    all.retain(|g| g.plan == plan);
    all.sort_by_key(|g| g.id);
    all
}

pub(super) fn tasks_of(core: Core, family: Uuid, plan: Option<Uuid>) -> Vec<Task> {
    let mut all = list_of(core, family, Task::from_record);
    if let Some(plan) = plan {
        all.retain(|t| t.plan == plan);
    }
    all.sort_by_key(|t| (t.due.is_none(), t.due, t.id));
    all
}

/// Makes the plan for `period`, starting from what the previous plan left open.
pub(super) async fn make_plan(core: Core, family: Uuid, period: u8) -> Result<Uuid, SaveError> {
    let previous = plans_of(core, family)
        .into_iter()
        .rfind(|p| p.period < period);
    let id = Uuid::now_v7();
    save(
        core,
        id,
        Kind::Plan,
        family,
        new_writes(vec![
            ("period", json!(period)),
            ("date", json!(iso_date(today()))),
            (
                "previous",
                previous
                    .as_ref()
                    .map_or(Value::Null, |p| json!(p.id.to_string())),
            ),
        ]),
    )
    .await?;
    if let Some(prev) = previous {
        let goals = goals_of(core, family, prev.id);
        let tasks = tasks_of(core, family, Some(prev.id));
        let (goals, tasks) = carried_over(&goals, &tasks);
        for g in goals {
            let writes = new_writes(vec![
                ("plan", json!(id.to_string())),
                ("horizon", json!(g.horizon.code())),
                ("text", json!(g.text)),
                ("carried_from", json!(g.id.to_string())),
            ]);
            save(core, Uuid::now_v7(), Kind::Goal, family, writes).await?;
        }
        for t in tasks {
            let writes = new_writes(vec![
                ("plan", json!(id.to_string())),
                ("what", json!(t.what)),
                ("owner", json!(t.owner.code())),
                ("who", text_or_null(&t.who)),
                ("status", json!(Status::Open.code())),
                ("carried_from", json!(t.id.to_string())),
            ]);
            save(core, Uuid::now_v7(), Kind::Task, family, writes).await?;
        }
    }
    Ok(id)
}

/// The period a new plan is for: the one after the newest plan, or the current one.
pub(super) fn next_period(core: Core, family: Uuid) -> u8 {
    let newest = plans_of(core, family).iter().map(|p| p.period).max();
    let now = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)
        .and_then(|f| f.start_date)
        .map_or(0, |intake| period_on(intake, today()));
    match newest {
        Some(n) => (n + 1).max(now).min(7),
        None => now,
    }
}

/// The day `period` starts, when that is more than a week away (its plan is not due yet).
pub(super) fn early(core: Core, family: Uuid, period: u8) -> Option<chrono::NaiveDate> {
    let intake = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)?
        .start_date?;
    let (from, _) = period_span(intake, period);
    let soon = today().checked_add_days(chrono::Days::new(7))?;
    (from > soon).then_some(from)
}

pub(super) fn span_text(core: Core, family: Uuid, period: u8) -> Option<String> {
    let intake = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)?
        .start_date?;
    let (from, until) = period_span(intake, period);
    Some(format!(
        "{} – {}",
        norwegian_date(from),
        norwegian_date(until.pred_opt().unwrap_or(until))
    ))
}

/// "Hvem: Ola · Innen 20.01.2026 · Fra duken", leaving out what is not set.
pub(super) fn task_meta(t: &Task) -> String {
    let mut parts = Vec::new();
    if !t.who.is_empty() {
        parts.push(format!("Hvem: {}", t.who));
    }
    if let Some(d) = t.due {
        parts.push(format!("Innen {}", norwegian_date(d)));
    }
    if t.agreement.is_some() {
        parts.push("Fra duken".to_owned());
    }
    parts.join(" · ")
}
