//! District keys, AGS, municipality kinds and the API shapes of districts and towns.
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{districts, municipalities};
use crate::db::utc;

/// Kreisschlüssel: exactly five digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictKey(String);

impl DistrictKey {
    pub fn parse(raw: &str) -> Result<DistrictKey, String> {
        let s = raw.trim();
        if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(DistrictKey(s.to_string()))
        } else {
            Err("Der Kreisschlüssel besteht aus genau 5 Ziffern (z. B. 05762).".into())
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Amtlicher Gemeindeschlüssel: exactly eight digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ags(String);

impl Ags {
    pub fn parse(raw: &str) -> Result<Ags, String> {
        let s = raw.trim();
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Ags(s.to_string()))
        } else {
            Err("Der AGS besteht aus genau 8 Ziffern (z. B. 05762008).".into())
        }
    }
    /// The AGS of a town starts with its district's key.
    pub fn belongs_to(&self, key: &str) -> bool {
        self.0.starts_with(key)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalityKind {
    Town,
    Municipality,
    DistrictAdministration,
}

impl MunicipalityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MunicipalityKind::Town => "town",
            MunicipalityKind::Municipality => "municipality",
            MunicipalityKind::DistrictAdministration => "district_administration",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Town, Self::Municipality, Self::DistrictAdministration]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// An organisation's name: 1 to 200 characters.
pub fn org_name(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Bitte einen Namen angeben.".into()),
        n if n > 200 => Err("Der Name ist zu lang (höchstens 200 Zeichen).".into()),
        _ if s.chars().any(char::is_control) => {
            Err("Der Name enthält unzulässige Steuerzeichen.".into())
        }
        _ => match crate::text::single_line_problem(s) {
            Some(problem) => Err(problem.into()),
            None => Ok(s.to_string()),
        },
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = districts)]
pub struct DistrictRow {
    pub id: String,
    pub key: String,
    pub name: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = municipalities)]
pub struct MunicipalityRow {
    pub id: String,
    pub district_id: String,
    pub ags: String,
    pub name: String,
    pub kind: String,
    pub population: Option<i32>,
    pub website: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct District {
    pub id: String,
    pub key: String,
    pub name: String,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<DistrictRow> for District {
    fn from(d: DistrictRow) -> Self {
        District {
            id: d.id,
            key: d.key,
            name: d.name,
            version: d.version,
            updated_at: utc(d.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Municipality {
    pub id: String,
    pub district_id: String,
    pub ags: String,
    pub name: String,
    pub kind: MunicipalityKind,
    pub population: Option<i32>,
    pub website: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<MunicipalityRow> for Municipality {
    fn from(m: MunicipalityRow) -> Self {
        Municipality {
            id: m.id,
            district_id: m.district_id,
            ags: m.ags,
            name: m.name,
            kind: MunicipalityKind::parse(&m.kind).unwrap_or(MunicipalityKind::Municipality),
            population: m.population,
            website: m.website,
            version: m.version,
            updated_at: utc(m.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDistrictRequest {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistrictPatch {
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMunicipalityRequest {
    pub district_id: String,
    pub ags: String,
    pub name: String,
    pub kind: MunicipalityKind,
    pub population: Option<i32>,
    pub website: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityPatch {
    pub name: Option<String>,
    pub kind: Option<MunicipalityKind>,
    pub population: Option<i32>,
    pub website: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Only towns of this district.
    pub district_id: Option<String>,
    /// Part of the name or AGS.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ags() {
        assert!(DistrictKey::parse("05762").is_ok());
        assert!(DistrictKey::parse("5762").is_err());
        assert!(Ags::parse("05762008").is_ok());
        assert!(Ags::parse("0576200").is_err());
        assert!(Ags::parse("0576200a").is_err());
        assert!(Ags::parse("05762008").unwrap().belongs_to("05762"));
        assert!(!Ags::parse("05774032").unwrap().belongs_to("05762"));
    }
}
