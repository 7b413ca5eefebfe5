//! OZG catalogue types: Themenfelder, Lebenslagen and services as the API shows them.
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Themenfeld {
    pub id: i32,
    pub name: String,
    pub lead_state: Option<String>,
    pub service_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemenfeldList {
    pub items: Vec<Themenfeld>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Lebenslage {
    pub id: i32,
    pub name: String,
    pub themenfeld_id: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LebenslageList {
    pub items: Vec<Lebenslage>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LebenslageQuery {
    pub themenfeld_id: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeikaService {
    /// 14-digit LeiKa key; null for services that are not in the LeiKa.
    pub key: Option<String>,
    pub name: String,
    pub typisierung: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OzgService {
    pub ozg_id: i32,
    pub name: String,
    pub themenfeld_id: i32,
    pub themenfeld: String,
    pub lebenslage: Option<String>,
    pub leika_count: i32,
    /// Only on the detail endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leika: Option<Vec<LeikaService>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OzgQuery {
    pub themenfeld_id: Option<i32>,
    pub lebenslage_id: Option<i32>,
    /// Part of the name, or an OZG-ID.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

pub type OzgTuple = (i32, String, i32, String, Option<String>, i32);

pub fn to_service(t: OzgTuple) -> OzgService {
    OzgService {
        ozg_id: t.0,
        name: t.1,
        themenfeld_id: t.2,
        themenfeld: t.3,
        lebenslage: t.4,
        leika_count: t.5,
        leika: None,
    }
}
