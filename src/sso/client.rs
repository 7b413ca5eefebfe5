//! The relying party: discovery, the authorisation URL (PKCE, state, nonce), the code
//! exchange and the ID token check (signature against the JWKS, `iss`, `aud`, `exp`,
//! `nonce`), with the provider's metadata and keys cached per provider.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreClient, CoreGenderClaim, CoreIdTokenVerifier, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, IdToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde::{Deserialize, Serialize};

use crate::config::sso::OidcProvider;
use crate::error::AppError;

/// Every claim that is not a standard one (realm_access, groups, organization, sid …).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extra(pub serde_json::Map<String, serde_json::Value>);
impl AdditionalClaims for Extra {}

type KcIdToken =
    IdToken<Extra, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// Discovery is repeated after this long.
const METADATA_TTL: Duration = Duration::from_secs(24 * 3600);
/// An unknown key id fetches the JWKS again, at most this often per provider.
const JWKS_REFETCH_EVERY: Duration = Duration::from_secs(30);

#[derive(Clone)]
struct Cached {
    meta: CoreProviderMetadata,
    fetched: Instant,
}

struct ProviderState {
    http: reqwest::Client,
    meta: Mutex<Option<Cached>>,
    jwks: Mutex<Option<CoreJsonWebKeySet>>,
    /// When the keys were last fetched again for an unknown key id.
    refetched: Mutex<Option<Instant>>,
}

/// The per-provider caches of this process (metadata, keys, HTTP client).
#[derive(Default)]
pub struct SsoRuntime {
    providers: Mutex<HashMap<String, Arc<ProviderState>>>,
}

/// Why a callback could not be turned into verified claims.
#[derive(Debug)]
pub enum VerifyError {
    /// The provider is down or answered nonsense (German text for the user).
    Unavailable(String),
    /// The token or the code was refused (the technical reason, for the log).
    Invalid(String),
}

pub struct AuthStart {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

fn unavailable(p: &OidcProvider, e: impl std::fmt::Display) -> AppError {
    tracing::warn!(provider = %p.id, error = %e, "identity provider unavailable");
    AppError::unavailable(format!(
        "Der Anmeldedienst {} ist gerade nicht erreichbar. Bitte später erneut versuchen.",
        p.label
    ))
}

fn build_http(p: &OidcProvider) -> Result<reqwest::Client, AppError> {
    let mut b = reqwest::Client::builder()
        // No redirects: a provider cannot send us to other addresses (SSRF).
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10));
    if let Some(path) = &p.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| AppError::internal(format!("{}: {e}", path.display())))?;
        let cert = reqwest::Certificate::from_pem(&pem)
            .map_err(|e| AppError::internal(format!("{}: {e}", path.display())))?;
        b = b.add_root_certificate(cert);
    }
    b.build()
        .map_err(|e| AppError::internal(format!("http client: {e}")))
}

/// The ID token algorithms we accept: those the provider names, never `none` or HMAC.
fn allowed_algs(meta: &CoreProviderMetadata) -> Vec<CoreJwsSigningAlgorithm> {
    use CoreJwsSigningAlgorithm as A;
    meta.id_token_signing_alg_values_supported()
        .iter()
        .filter(|a| !matches!(a, A::None | A::HmacSha256 | A::HmacSha384 | A::HmacSha512))
        .cloned()
        .collect()
}

pub fn redirect_uri(public_url: &str, provider: &str) -> String {
    format!("{public_url}/api/v1/auth/oidc/{provider}/callback")
}

impl SsoRuntime {
    fn state(&self, p: &OidcProvider) -> Result<Arc<ProviderState>, AppError> {
        let mut map = self.providers.lock().expect("sso runtime lock");
        if let Some(s) = map.get(&p.id) {
            return Ok(s.clone());
        }
        let s = Arc::new(ProviderState {
            http: build_http(p)?,
            meta: Mutex::new(None),
            jwks: Mutex::new(None),
            refetched: Mutex::new(None),
        });
        map.insert(p.id.clone(), s.clone());
        Ok(s)
    }

    /// The provider's discovery document (cached for a day); its keys are cached apart.
    async fn metadata(
        &self,
        p: &OidcProvider,
    ) -> Result<(Arc<ProviderState>, CoreProviderMetadata), AppError> {
        let st = self.state(p)?;
        let cached = st.meta.lock().expect("meta lock").clone();
        if let Some(c) = cached.filter(|c| c.fetched.elapsed() < METADATA_TTL) {
            return Ok((st, c.meta));
        }
        let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|e| unavailable(p, e))?;
        let meta = CoreProviderMetadata::discover_async(issuer, &st.http)
            .await
            .map_err(|e| unavailable(p, e))?;
        *st.jwks.lock().expect("jwks lock") = Some(meta.jwks().clone());
        *st.meta.lock().expect("meta lock") = Some(Cached {
            meta: meta.clone(),
            fetched: Instant::now(),
        });
        Ok((st, meta))
    }

    /// The cached key set of a provider whose metadata is loaded.
    fn keys(st: &ProviderState, meta: &CoreProviderMetadata) -> CoreJsonWebKeySet {
        st.jwks
            .lock()
            .expect("jwks lock")
            .clone()
            .unwrap_or_else(|| meta.jwks().clone())
    }

    /// Fetches the JWKS again unless that happened in the last 30 s; `None` when skipped.
    async fn refetch_keys(
        st: &ProviderState,
        meta: &CoreProviderMetadata,
    ) -> Option<CoreJsonWebKeySet> {
        {
            let mut last = st.refetched.lock().expect("refetch lock");
            if last.is_some_and(|at| at.elapsed() < JWKS_REFETCH_EVERY) {
                return None;
            }
            *last = Some(Instant::now());
        }
        let keys = CoreJsonWebKeySet::fetch_async(meta.jwks_uri(), &st.http)
            .await
            .ok()?;
        *st.jwks.lock().expect("jwks lock") = Some(keys.clone());
        tracing::info!("refetched JWKS");
        Some(keys)
    }

    /// The JSON of the provider's current keys, fetched again when `kid` is unknown
    /// (same rate limit as for ID tokens); for the logout token check.
    pub async fn keys_json(
        &self,
        p: &OidcProvider,
        kid: Option<&str>,
    ) -> Result<(serde_json::Value, Vec<String>), AppError> {
        let (st, meta) = self.metadata(p).await?;
        let mut keys = Self::keys(&st, &meta);
        let known = |k: &CoreJsonWebKeySet| {
            let v = serde_json::to_value(k).unwrap_or_default();
            kid.is_none_or(|kid| {
                v["keys"]
                    .as_array()
                    .is_some_and(|ks| ks.iter().any(|x| x["kid"] == kid))
            })
        };
        if !known(&keys) {
            if let Some(fresh) = Self::refetch_keys(&st, &meta).await {
                keys = fresh;
            }
        }
        let algs = allowed_algs(&meta)
            .iter()
            .filter_map(|a| serde_json::to_value(a).ok())
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        Ok((serde_json::to_value(&keys).unwrap_or_default(), algs))
    }

    /// The URL to send the browser to, with fresh state, nonce and PKCE verifier.
    pub async fn start(&self, p: &OidcProvider, public_url: &str) -> Result<AuthStart, AppError> {
        let (_, meta) = self.metadata(p).await?;
        let redirect = RedirectUrl::new(redirect_uri(public_url, &p.id))
            .map_err(|e| AppError::internal(e.to_string()))?;
        let client = CoreClient::from_provider_metadata(
            meta,
            ClientId::new(p.client_id.clone()),
            Some(ClientSecret::new(p.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for s in p.scopes.iter().filter(|s| s.as_str() != "openid") {
            req = req.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = req.set_pkce_challenge(challenge).url();
        Ok(AuthStart {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code and returns the verified claims of the ID token (merged with
    /// userinfo when configured).
    pub async fn exchange(
        &self,
        p: &OidcProvider,
        public_url: &str,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<serde_json::Value, VerifyError> {
        let (st, meta) = self
            .metadata(p)
            .await
            .map_err(|e| VerifyError::Unavailable(e.to_string()))?;
        let redirect = RedirectUrl::new(redirect_uri(public_url, &p.id))
            .map_err(|e| VerifyError::Invalid(e.to_string()))?;
        let client = CoreClient::from_provider_metadata(
            meta.clone(),
            ClientId::new(p.client_id.clone()),
            Some(ClientSecret::new(p.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| VerifyError::Invalid(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request_async(&st.http)
            .await
            .map_err(|e| VerifyError::Invalid(format!("code exchange: {e}")))?;
        let raw = token
            .id_token()
            .ok_or_else(|| VerifyError::Invalid("no id_token in the token response".into()))?
            .to_string();
        let mut claims = self.verify_id_token(p, &st, &meta, &raw, nonce).await?;
        if p.userinfo {
            if let Ok(req) = client.user_info(token.access_token().clone(), None) {
                let info: Result<openidconnect::UserInfoClaims<Extra, CoreGenderClaim>, _> =
                    req.request_async(&st.http).await;
                if let Ok(info) = info {
                    let info = serde_json::to_value(info).unwrap_or_default();
                    if info["sub"] == claims["sub"] {
                        if let (Some(target), Some(extra)) =
                            (claims.as_object_mut(), info.as_object())
                        {
                            for (k, v) in extra {
                                target.entry(k.clone()).or_insert(v.clone());
                            }
                        }
                    }
                }
            }
        }
        Ok(claims)
    }

    /// Verifies a raw ID token against the cached keys; an unknown key id fetches the
    /// keys once more (rate-limited), a bad signature under a known key does not.
    async fn verify_id_token(
        &self,
        p: &OidcProvider,
        st: &ProviderState,
        meta: &CoreProviderMetadata,
        raw: &str,
        nonce: &str,
    ) -> Result<serde_json::Value, VerifyError> {
        let token: KcIdToken = raw
            .parse()
            .map_err(|e| VerifyError::Invalid(format!("id_token does not parse: {e}")))?;
        let issuer =
            IssuerUrl::new(p.issuer.clone()).map_err(|e| VerifyError::Invalid(e.to_string()))?;
        let verify = |keys: CoreJsonWebKeySet| {
            let verifier = CoreIdTokenVerifier::new_confidential_client(
                ClientId::new(p.client_id.clone()),
                ClientSecret::new(p.client_secret.clone()),
                issuer.clone(),
                keys,
            )
            .set_allowed_algs(allowed_algs(meta));
            token
                .claims(&verifier, &Nonce::new(nonce.to_string()))
                .map(|c| serde_json::to_value(c).unwrap_or_default())
        };
        match verify(Self::keys(st, meta)) {
            Ok(c) => Ok(c),
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => match Self::refetch_keys(st, meta).await {
                Some(keys) => verify(keys).map_err(|e| VerifyError::Invalid(e.to_string())),
                None => Err(VerifyError::Invalid(
                    "no matching key (refetch skipped)".into(),
                )),
            },
            Err(e) => Err(VerifyError::Invalid(format!("{e:?}"))),
        }
    }
}
