//! Roles, locales and the validated values every account is made of.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Kept here so older imports keep working; the type lives in `crate::i18n`.
pub use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Officer,
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Coordinator, Role::Officer, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Officer => "officer",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Officers and members belong to a town; coordinators to a district only.
    pub fn needs_municipality(self) -> bool {
        matches!(self, Role::Officer | Role::Member)
    }

    pub fn label_de(self) -> &'static str {
        match self {
            Role::Admin => "Betreiber/in",
            Role::Coordinator => "Kreis-Koordination",
            Role::Officer => "Digitalisierungsbeauftragte/r",
            Role::Member => "Mitarbeitende/r",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Coordinator => "District coordinator",
            Role::Officer => "Digitalisation officer",
            Role::Member => "Staff member",
        }
    }
}

/// A syntactically plausible email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, String> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("Bitte eine E-Mail-Adresse angeben.".into());
        }
        if s.chars().count() > 254 {
            return Err("Die E-Mail-Adresse ist zu lang (höchstens 254 Zeichen).".into());
        }
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| {
                        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';')
                    })
            }
            None => false,
        };
        if valid {
            Ok(Email(s))
        } else {
            Err("Das ist keine gültige E-Mail-Adresse.".into())
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A person's display name: 1 to 200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<PersonName, String> {
        let s = raw.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err("Bitte einen Namen angeben.".into());
        }
        if n > 200 {
            return Err("Der Name ist zu lang (höchstens 200 Zeichen).".into());
        }
        if s.chars().any(|c| c.is_control()) {
            return Err("Der Name enthält unzulässige Steuerzeichen.".into());
        }
        if let Some(problem) = crate::text::single_line_problem(s) {
            return Err(problem.into());
        }
        Ok(PersonName(s.to_string()))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Who acts: the signed-in user's role and scope, as the policy needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub role: Role,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Lena.Vogt@Brakel.example ").unwrap().as_str(),
            "lena.vogt@brakel.example"
        );
        assert!(Email::parse("no-at-sign").is_err());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a b@c.de").is_err());
        assert!(Email::parse("").is_err());
    }

    #[test]
    fn names_are_bounded() {
        assert!(PersonName::parse("  ").is_err());
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
        assert_eq!(
            PersonName::parse(" Lena Vogt ").unwrap().into_inner(),
            "Lena Vogt"
        );
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
