//! Password rules and Argon2id hashing.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

/// Passwords seen first in every leaked-password list, plus obvious German ones.
/// Compared case-insensitively after removing spaces.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "qwertyuiopas",
    "qwertzuiopü",
    "qwertzuiop123",
    "qwertyuiop123",
    "qwertyuiop12",
    "passwort1234",
    "passwort12345",
    "passwort123456",
    "password1234",
    "password12345",
    "password123456",
    "passwortpasswort",
    "passwordpassword",
    "hallo1234567",
    "hallo12345678",
    "hallohallo12",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "willkommen12",
    "willkommen123",
    "willkommen1234",
    "sommer2024!!",
    "sommer202412",
    "winter202412",
    "geheim123456",
    "geheimgeheim",
    "administrator",
    "administrator1",
    "abcdefghijkl",
    "abc123abc123",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "asdfghjkl123",
    "digitalisierung",
    "digitalnetzwerk",
    "kommune12345",
    "rathaus12345",
    "verwaltung123",
    "verwaltung1234",
    "changeme1234",
    "football1234",
    "baseball1234",
    "trustno11234",
    "superman1234",
    "dragon123456",
    "monkey123456",
    "sunshine1234",
    "princess1234",
    "starwars1234",
    "master123456",
    "shadow123456",
];

/// Checks the password rules; `email` must not be the password.
pub fn check_rules(password: &str, email: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!(
            "Das Passwort muss mindestens {MIN_LEN} Zeichen lang sein."
        ));
    }
    if n > MAX_LEN {
        return Err(format!(
            "Das Passwort darf höchstens {MAX_LEN} Zeichen lang sein."
        ));
    }
    let folded: String = password
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if !email.is_empty() && (folded == email || (local.chars().count() >= 4 && folded == local)) {
        return Err("Das Passwort darf nicht die E-Mail-Adresse sein.".into());
    }
    let distinct: std::collections::HashSet<char> = folded.chars().collect();
    if distinct.len() < 4 || COMMON.contains(&folded.as_str()) {
        return Err(
            "Dieses Passwort ist zu verbreitet oder zu einfach. Bitte ein anderes wählen.".into(),
        );
    }
    Ok(())
}

fn hasher(memory_kib: u32) -> Argon2<'static> {
    let params = Params::new(memory_kib.max(256), 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str, memory_kib: u32) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher(memory_kib)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing: {e}")))
}

/// Verifies against a stored hash (its own parameters are used). A missing
/// hash is verified against a dummy so timing does not reveal whether an account exists.
pub fn verify(password: &str, stored: Option<&str>, memory_kib: u32) -> bool {
    match stored.and_then(|s| PasswordHash::new(s).ok()) {
        Some(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        None => {
            let _ = hash(password, memory_kib);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(check_rules("kurz", "a@b.de").is_err());
        assert!(check_rules("lena@brakel.example", "lena@brakel.example").is_err());
        assert!(check_rules("Passwort1234", "a@b.de").is_err());
        assert!(check_rules("aaaaaaaaaaaaaaa", "a@b.de").is_err());
        assert!(check_rules("Grüne-Wiese-am-Nethe-2026", "lena@brakel.example").is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("Grüne-Wiese-am-Nethe-2026", 1024).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Grüne-Wiese-am-Nethe-2026", Some(&h), 1024));
        assert!(!verify("falsch-falsch-falsch", Some(&h), 1024));
        assert!(!verify("irgendwas-langes", None, 1024));
    }
}
