//! What the load benchmarks share: the release server and the bare handler as child
//! processes, free ports, and one `wrk` run (req/s, p50/p95/p99, errors) per call.
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn server_binary() -> PathBuf {
    // target/<profile>/examples/load → target/<profile>/digitalnetzwerk
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("digitalnetzwerk")
}

pub fn start_server(database_url: &str, dir: &std::path::Path, port: u16) -> Child {
    Command::new(server_binary())
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", dir)
        .env("STATIC_DIR", dir)
        .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", "x".repeat(40))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server")
}

/// Proportional set size of a process in MiB (shared pages counted by their share).
pub fn pss_mib(pid: u32) -> f64 {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    rollup
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_until_up(base: &str) {
    let addr = base.trim_start_matches("http://");
    // Up to 120 s: a server on a fresh copy indexes its projects before it answers.
    for _ in 0..2400 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{base} did not start");
}

/// One wrk run's figures.
pub struct Run {
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// `12.34ms`, `1.20s`, `850.00us` → milliseconds.
fn wrk_millis(v: &str) -> f64 {
    let v = v.trim();
    let (num, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (v, 1.0)
    };
    num.parse::<f64>().unwrap_or(f64::NAN) * factor
}

/// Runs wrk against `urls` (rotated per request by a Lua script) with `connections`.
pub fn wrk(
    dir: &std::path::Path,
    token: Option<&str>,
    urls: &[String],
    connections: usize,
    seconds: u64,
) -> Run {
    let paths: Vec<String> = urls
        .iter()
        .map(|u| {
            let path = u.splitn(4, '/').nth(3).unwrap_or("");
            format!("\"/{}\"", path.replace('"', "%22"))
        })
        .collect();
    let auth = token
        .map(|t| format!("wrk.headers[\"Authorization\"] = \"Bearer {t}\"\n"))
        .unwrap_or_default();
    let threads = connections.min(2);
    // Each of wrk's threads starts at its own share of the paths (`setup` numbers them),
    // so that two threads do not ask for the same path at the same time.
    let lua = format!(
        "{auth}local paths = {{{}}}\nlocal i = 0\ninit = function(args)\n  i = math.floor((number or 0) * #paths / {threads})\nend\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n",
        paths.join(", ")
    );
    let base: String = urls[0].splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    wrk_lua(dir, &base, &lua, connections, seconds)
}

/// Runs wrk against `base` with a Lua script that defines `request` (and may use the
/// thread's `number`, set in `setup`, and define `init` and `response`).
pub fn wrk_lua(
    dir: &std::path::Path,
    base: &str,
    lua: &str,
    connections: usize,
    seconds: u64,
) -> Run {
    let script = dir.join(format!("script-{connections}.lua"));
    let threads = connections.min(2);
    std::fs::write(
        &script,
        format!(
            "local threads = 0\nsetup = function(thread)\n  thread:set(\"number\", threads)\n  threads = threads + 1\nend\n{lua}done = function(summary, latency, requests)\n  io.write(string.format(\"P95: %dus\\n\", latency:percentile(95.0)))\nend\n"
        ),
    )
    .unwrap();
    let out = Command::new("wrk")
        .args([
            format!("-t{threads}"),
            format!("-c{connections}"),
            format!("-d{seconds}s"),
            "--latency".into(),
            "-s".into(),
            script.display().to_string(),
            base.to_string(),
        ])
        .output()
        .expect("wrk is missing: apt-get install wrk");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    // A script may report refused requests as lines starting with "FAIL".
    for line in text.lines().filter(|l| l.starts_with("FAIL")) {
        eprintln!("{line}");
    }
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
    };
    let mut errors = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if let Some(socket) = field("Socket errors:") {
        // Which kind (connect, read, write, timeout): the table shows only their sum.
        eprintln!("wrk socket errors at {connections} connections: {socket}");
        errors += socket
            .split(',')
            .filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok())
            .sum::<u64>();
    }
    Run {
        rps: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN),
        p50_ms: field("50%").map(|v| wrk_millis(&v)).unwrap_or(f64::NAN),
        p95_ms: field("P95:").map(|v| wrk_millis(&v)).unwrap_or(f64::NAN),
        p99_ms: field("99%").map(|v| wrk_millis(&v)).unwrap_or(f64::NAN),
        errors,
    }
}
