//! Answers lined up across rounds: what the charts draw, and the lowest areas.

use uuid::Uuid;

use super::answer::{find, Rating};
use super::round::{Rater, Round};
use super::template::Scale;
use super::{LOW_LEVEL, MAX_COMPARED};

/// One area (item) of one person across the rounds compared.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaProgress {
    pub key: String,
    pub label: String,
    pub group: Option<String>,
    /// One per round compared; `None` where the area was not answered (or not asked).
    pub scores: Vec<Option<u8>>,
    /// The same answers as a share of their scale (0.0-1.0).
    pub levels: Vec<Option<f32>>,
    /// The latest answer minus the one before it, in steps of the latest answer's scale.
    pub change: Option<i32>,
    /// The latest answer is lower than the one before.
    pub fell: bool,
    /// The latest answer is in the lowest part of the scale.
    pub low: bool,
    /// Low now and in the answer before.
    pub stayed_low: bool,
}

impl AreaProgress {
    /// Shown highlighted: it fell, or it is low.
    pub fn needs_attention(&self) -> bool {
        self.fell || self.low
    }

    pub fn latest_level(&self) -> Option<f32> {
        self.levels.iter().rev().find_map(|l| *l)
    }
}

/// One person's answers (by one rater) across rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub member: Uuid,
    pub rater: Rater,
    /// The rounds compared, in order; every series below has one entry per round.
    pub rounds: Vec<Round>,
    /// The scale of the newest answer (for axes).
    pub scale: Option<Scale>,
    pub areas: Vec<AreaProgress>,
}

/// Lines up `member`'s submitted answers by `rater` over `rounds` (in the order given).
/// Areas are the newest form's items in its order, then items only older forms asked.
pub fn progress(rounds: &[Round], ratings: &[Rating], member: Uuid, rater: Rater) -> Progress {
    let per_round: Vec<Option<&Rating>> = rounds
        .iter()
        .map(|round| find(ratings, round.id, member, rater).filter(|r| r.counts()))
        .collect();
    let mut areas: Vec<(String, String, Option<String>)> = Vec::new();
    for rating in per_round.iter().rev().flatten() {
        for item in &rating.form.items {
            if !areas.iter().any(|(k, _, _)| *k == item.key) {
                areas.push((item.key.clone(), item.label.clone(), item.group.clone()));
            }
        }
    }
    let newest = per_round.iter().rev().flatten().next();
    let scale = newest.map(|r| r.form.scale.clone());
    let areas = areas
        .into_iter()
        .map(|(key, label, group)| {
            let scores: Vec<Option<u8>> = per_round
                .iter()
                .map(|r| r.and_then(|r| r.score(&key)))
                .collect();
            let levels: Vec<Option<f32>> = per_round
                .iter()
                .map(|r| r.and_then(|r| r.level(&key)))
                .collect();
            let answered: Vec<(usize, f32)> = levels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| l.map(|l| (i, l)))
                .collect();
            let latest = answered.last().copied();
            let before = answered.len().checked_sub(2).map(|i| answered[i]);
            let change = match (latest, before) {
                (Some((i, _)), Some((j, _))) => {
                    let (a, b) = (per_round[i], per_round[j]);
                    match (a, b) {
                        (Some(a), Some(b)) if a.form.scale == b.form.scale => {
                            let now = a.score(&key).map(i32::from);
                            let then = b.score(&key).map(i32::from);
                            now.zip(then).map(|(n, t)| n - t)
                        }
                        (Some(a), _) => {
                            // Different scales: compare shares, count in the newer scale.
                            let span = f32::from(a.form.scale.max - a.form.scale.min);
                            latest
                                .zip(before)
                                .map(|((_, n), (_, t))| ((n - t) * span).round() as i32)
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            let is_low = |l: f32| l <= LOW_LEVEL + f32::EPSILON;
            let low = latest.is_some_and(|(_, l)| is_low(l));
            AreaProgress {
                key,
                label,
                group,
                scores,
                levels,
                change,
                fell: change.is_some_and(|c| c < 0),
                low,
                stayed_low: low && before.is_some_and(|(_, l)| is_low(l)),
            }
        })
        .collect();
    Progress {
        member,
        rater,
        rounds: rounds.to_vec(),
        scale,
        areas,
    }
}

/// The `n` areas with the lowest latest answer, lowest first (ties in form order).
pub fn lowest_areas(progress: &Progress, n: usize) -> Vec<&AreaProgress> {
    let mut answered: Vec<(usize, &AreaProgress)> = progress
        .areas
        .iter()
        .enumerate()
        .filter(|(_, a)| a.latest_level().is_some())
        .collect();
    answered.sort_by(|(i, a), (j, b)| {
        a.latest_level()
            .partial_cmp(&b.latest_level())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(i.cmp(j))
    });
    answered.into_iter().take(n).map(|(_, a)| a).collect()
}

/// The last [`MAX_COMPARED`] of `rounds` (in order) in which `member` has a submitted answer
/// by `rater`: what the star chart shows unless the user picks others.
pub fn default_compared(
    rounds: &[Round],
    ratings: &[Rating],
    member: Uuid,
    rater: Rater,
) -> Vec<Round> {
    let with: Vec<Round> = rounds
        .iter()
        .filter(|r| find(ratings, r.id, member, rater).is_some_and(Rating::counts))
        .cloned()
        .collect();
    let skip = with.len().saturating_sub(MAX_COMPARED);
    with.into_iter().skip(skip).collect()
}
