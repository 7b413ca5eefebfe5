//! Strategy types: measure states, the strategy view with goal fields, measures and
//! progress, request bodies, their checks, and who may edit an owner's strategy.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::error::{AppError, AppResult, Errors};
use crate::projects::model::LinkedProject;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 4] = [
        MeasureStatus::Planned,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
        MeasureStatus::Dropped,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::Dropped => "dropped",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "in_progress" => MeasureStatus::InProgress,
            "done" => MeasureStatus::Done,
            "dropped" => MeasureStatus::Dropped,
            _ => MeasureStatus::Planned,
        }
    }
    /// planned → in_progress → done; dropped from planned or in progress; a dropped
    /// measure can be planned again.
    pub fn can_move_to(self, to: MeasureStatus) -> bool {
        use MeasureStatus::*;
        matches!(
            (self, to),
            (Planned, InProgress)
                | (InProgress, Done)
                | (Planned | InProgress, Dropped)
                | (Dropped, Planned)
                | (InProgress, Planned)
        )
    }
}

/// Whose strategy: a district's (`municipality_id` None) or a town's.
#[derive(Debug, Clone)]
pub struct Owner {
    pub district_id: String,
    pub municipality_id: Option<String>,
}

impl Owner {
    pub fn scope(&self) -> Scope<'_> {
        Scope::new(Some(&self.district_id), self.municipality_id.as_deref())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub owner: Option<UserRef>,
    pub target_date: Option<NaiveDate>,
    pub status: MeasureStatus,
    /// Linked projects the viewer may see.
    pub projects: Vec<LinkedProject>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub done: i64,
    /// Measures that count (all but dropped ones).
    pub total: i64,
    pub percent: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalField {
    pub id: String,
    pub title: String,
    pub description: String,
    pub position: i32,
    pub progress: Progress,
    pub measures: Vec<Measure>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Strategy {
    pub id: Option<String>,
    pub district_id: String,
    pub municipality_id: Option<String>,
    pub goal_fields: Vec<GoalField>,
    pub progress: Progress,
    pub can_edit: bool,
}

pub fn progress(done: i64, total: i64) -> Progress {
    let percent = if total == 0 {
        0.0
    } else {
        (done as f64 * 1000.0 / total as f64).round() / 10.0
    };
    Progress {
        done,
        total,
        percent,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalFieldInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i32>,
}

/// A new goal field: unlike a change ([`GoalFieldInput`]), the title is required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGoalField {
    pub title: String,
    pub description: Option<String>,
    pub position: Option<i32>,
}

impl From<NewGoalField> for GoalFieldInput {
    fn from(n: NewGoalField) -> Self {
        GoalFieldInput {
            title: Some(n.title),
            description: n.description,
            position: n.position,
        }
    }
}

pub fn check_goal_field(i: &GoalFieldInput, create: bool) -> AppResult<()> {
    let mut e = Errors::new();
    match i.title.as_deref().map(str::trim) {
        Some(t) if !crate::text::check_line(&mut e, "title", t) => {}
        Some(t) if t.chars().count() >= 2 && t.chars().count() <= 200 => {}
        None if !create => {}
        _ => e.push("title", "Bitte einen Titel mit 2 bis 200 Zeichen angeben."),
    }
    if i.description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 5000)
    {
        e.push("description", "Höchstens 5 000 Zeichen.");
    }
    if i.position.is_some_and(|p| !(0..=1000).contains(&p)) {
        e.push("position", "Die Position liegt zwischen 0 und 1000.");
    }
    e.finish()
}

pub fn editable(actor: &Actor, o: &Owner) -> AppResult<()> {
    if !policy::can_read_strategy(actor, o.scope()) {
        return Err(AppError::NotFound);
    }
    if !policy::can_edit_strategy(actor, o.scope()) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureInput {
    pub title: Option<String>,
    pub owner_user_id: Option<String>,
    pub target_date: Option<NaiveDate>,
    /// Replaces the linked projects.
    pub project_ids: Option<Vec<String>>,
}

/// A new measure: unlike a change ([`MeasureInput`]), the title is required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeasure {
    pub title: String,
    pub owner_user_id: Option<String>,
    pub target_date: Option<NaiveDate>,
    /// The linked projects.
    pub project_ids: Option<Vec<String>>,
}

impl From<NewMeasure> for MeasureInput {
    fn from(n: NewMeasure) -> Self {
        MeasureInput {
            title: Some(n.title),
            owner_user_id: n.owner_user_id,
            target_date: n.target_date,
            project_ids: n.project_ids,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureStatusChange {
    pub status: MeasureStatus,
}

#[cfg(test)]
mod tests {
    use super::MeasureStatus::*;

    #[test]
    fn measure_life_cycle() {
        assert!(Planned.can_move_to(InProgress));
        assert!(!Planned.can_move_to(Done));
        assert!(InProgress.can_move_to(Done));
        assert!(!Done.can_move_to(Planned));
        assert!(Dropped.can_move_to(Planned));
    }
}
