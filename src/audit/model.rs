//! Audit log types: an entry as the API shows it and the list query.
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The action for people, in the reader's language ("Projektstatus geändert").
    pub action_label: String,
    /// The object type for people ("Unterstützungsanfrage").
    pub object_label: String,
    /// The summary for people: field labels, names instead of ids, euro amounts,
    /// dates and status values in the reader's language.
    pub summary_text: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries of this district (coordinators always get their own).
    pub district_id: Option<String>,
    /// Only entries with this action, e.g. `user.update`.
    pub action: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}
