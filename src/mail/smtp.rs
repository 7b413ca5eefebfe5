//! The SMTP side of delivery: settings from `SMTP_URL` and one connection per delivery
//! round, driven step by step so the caller learns the moment a mail is handed over.
//!
//! lettre's `SmtpTransport` sends a mail in one call. That hides the one instant that
//! matters for a crash: once the content and its final dot are written to the socket,
//! the kernel delivers them even if the process is killed a microsecond later, so the
//! server accepts a mail whose "250" nobody recorded. The outbox therefore records the
//! hand-over in the database right before the content goes out (see
//! `notify::outbox`); lettre's `SmtpConnection` does the protocol, TLS and AUTH.
use std::borrow::Cow;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

const TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Clone)]
enum Tls {
    None,
    /// STARTTLS when the server offers it (`?tls=opportunistic`).
    Opportunistic(TlsParameters),
    /// STARTTLS or fail (`?tls=required`).
    Required(TlsParameters),
    /// TLS from the first byte (`smtps://`).
    Wrapper(TlsParameters),
}

/// Where and how to reach the SMTP server, parsed once from `SMTP_URL`:
/// `smtp://[user:pass@]host[:port][/ehlo-name][?tls=required|opportunistic]` or
/// `smtps://[user:pass@]host[:port]` (the forms lettre's `from_url` documents).
#[derive(Clone)]
pub struct SmtpSettings {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl SmtpSettings {
    pub fn from_url(raw: &str) -> Result<SmtpSettings, String> {
        let url = url::Url::parse(raw).map_err(|e| e.to_string())?;
        let host = url
            .host_str()
            .ok_or("no host")?
            .trim_matches(['[', ']'])
            .to_string();
        let tls_param = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let params = || TlsParameters::new(host.clone()).map_err(|e| e.to_string());
        let (default_port, tls) = match (url.scheme(), tls_param.as_deref()) {
            ("smtp", None) => (25, Tls::None),
            ("smtp", Some("required")) => (587, Tls::Required(params()?)),
            ("smtp", Some("opportunistic")) => (587, Tls::Opportunistic(params()?)),
            ("smtps", None) => (465, Tls::Wrapper(params()?)),
            (scheme, tls) => {
                return Err(format!(
                    "unknown scheme '{scheme}' or tls parameter {tls:?} (smtp://, smtp://…?tls=required, smtp://…?tls=opportunistic or smtps://)"
                ))
            }
        };
        let decode = |s: &str| -> Result<String, String> {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(Cow::into_owned)
                .map_err(|e| e.to_string())
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let name = url.path().trim_matches('/');
        Ok(SmtpSettings {
            port: url.port().unwrap_or(default_port),
            hello: if name.is_empty() {
                ClientId::default()
            } else {
                ClientId::Domain(name.to_string())
            },
            host,
            tls,
            credentials,
        })
    }

    fn connect(&self) -> Result<SmtpConnection, lettre::transport::smtp::Error> {
        let wrapper = match &self.tls {
            Tls::Wrapper(p) => Some(p),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(TIMEOUT),
            &self.hello,
            wrapper,
            None,
        )?;
        {
            use std::net::ToSocketAddrs;
            let peers: Vec<std::net::SocketAddr> = (self.host.as_str(), self.port)
                .to_socket_addrs()
                .map(|a| a.collect())
                .unwrap_or_default();
            set_nodelay_to(&peers);
        }
        match &self.tls {
            Tls::Opportunistic(p) if conn.can_starttls() => conn.starttls(p, &self.hello)?,
            Tls::Required(p) => conn.starttls(p, &self.hello)?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)?;
        }
        Ok(conn)
    }
}

/// Turns off Nagle's algorithm on this process's TCP connections to `peers`.
///
/// lettre writes a mail's content and the final `.` in two writes; with Nagle the small
/// second write waits until the server acknowledges the first, which a server that answers
/// only after the dot delays by its delayed-ACK timer (40 ms on Linux): about 22 mails/s.
/// lettre's blocking `SmtpConnection` does not expose its socket (nor accept one), so the
/// socket is found among the process's descriptors by its peer address; only sockets
/// connected to the SMTP server are touched, and none is closed.
#[cfg(target_os = "linux")]
fn set_nodelay_to(peers: &[std::net::SocketAddr]) {
    use std::os::fd::FromRawFd;
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for entry in entries.flatten() {
        let is_socket = std::fs::read_link(entry.path())
            .map(|t| t.to_string_lossy().starts_with("socket:"))
            .unwrap_or(false);
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if !is_socket {
            continue;
        }
        // SAFETY: the descriptor is a socket of this process; ManuallyDrop keeps it open.
        let stream = std::mem::ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(fd) });
        if stream.peer_addr().is_ok_and(|p| peers.contains(&p)) {
            let _ = stream.set_nodelay(true);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn set_nodelay_to(_peers: &[std::net::SocketAddr]) {}

/// One SMTP connection, opened on the first mail and reused while it answers.
pub struct SmtpSession<'a> {
    settings: &'a SmtpSettings,
    conn: Option<SmtpConnection>,
}

impl<'a> SmtpSession<'a> {
    pub fn new(settings: &'a SmtpSettings) -> Self {
        SmtpSession {
            settings,
            conn: None,
        }
    }

    /// Sends one formatted mail. `hand_over` runs when the server has accepted sender and
    /// recipients and waits for the content, right before content and final dot are
    /// written; if it fails, the transaction is abandoned and the server keeps nothing.
    pub fn send(
        &mut self,
        envelope: &Envelope,
        email: &[u8],
        hand_over: impl FnOnce() -> Result<(), String>,
    ) -> Result<String, String> {
        let result = self.try_send(envelope, email, hand_over);
        if result.is_err() {
            // Whatever state the server is in, the next mail starts on a fresh connection.
            if let Some(mut conn) = self.conn.take() {
                conn.abort();
            }
        }
        result
    }

    fn try_send(
        &mut self,
        envelope: &Envelope,
        email: &[u8],
        hand_over: impl FnOnce() -> Result<(), String>,
    ) -> Result<String, String> {
        let smtp = |e: lettre::transport::smtp::Error| format!("SMTP: {e}");
        let reuse = match self.conn.as_mut() {
            Some(conn) => !conn.has_broken() && conn.test_connected(),
            None => false,
        };
        if !reuse {
            if let Some(mut stale) = self.conn.take() {
                stale.abort();
            }
            self.conn = Some(self.settings.connect().map_err(smtp)?);
        }
        let conn = self.conn.as_mut().ok_or("SMTP: no connection")?;
        let mut options = vec![];
        let non_ascii = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .any(|a| !AsRef::<str>::as_ref(a).is_ascii());
        if non_ascii {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err("SMTP: the server does not accept non-ASCII addresses".into());
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if !email.is_ascii() {
            if !conn.server_info().supports_feature(Extension::EightBitMime) {
                return Err("SMTP: the server does not accept 8-bit content".into());
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        conn.command(Mail::new(envelope.from().cloned(), options))
            .map_err(smtp)?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![])).map_err(smtp)?;
        }
        conn.command(Data).map_err(smtp)?;
        hand_over()?;
        let answer = conn.message(email).map_err(smtp)?;
        Ok(format!(
            "{} {}",
            answer.code(),
            answer.message().collect::<Vec<_>>().join(" ")
        ))
    }
}

impl Drop for SmtpSession<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let _ = conn.quit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_as_documented() {
        let s = SmtpSettings::from_url("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 2525));
        assert!(matches!(s.tls, Tls::None) && s.credentials.is_none());

        let s = SmtpSettings::from_url("smtps://us%40er:p%3Ass@mail.example.org").unwrap();
        assert_eq!(s.port, 465);
        assert!(matches!(s.tls, Tls::Wrapper(_)));
        assert_eq!(
            s.credentials,
            Some(Credentials::new("us@er".into(), "p:ss".into()))
        );

        let s = SmtpSettings::from_url("smtp://mail.example.org?tls=required").unwrap();
        assert_eq!(s.port, 587);
        assert!(matches!(s.tls, Tls::Required(_)));

        let s =
            SmtpSettings::from_url("smtp://mail.example.org:25/rathaus.example?tls=opportunistic")
                .unwrap();
        assert!(matches!(s.tls, Tls::Opportunistic(_)));
        assert_eq!(s.hello, ClientId::Domain("rathaus.example".into()));

        assert!(SmtpSettings::from_url("http://mail.example.org").is_err());
        assert!(SmtpSettings::from_url("smtp://mail.example.org?tls=maybe").is_err());
        assert!(SmtpSettings::from_url("not a url").is_err());
    }
}
