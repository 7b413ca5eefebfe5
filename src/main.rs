//! The `digitalnetzwerk` binary: parses the command line and hands over to the library.
use clap::Parser;
use digitalnetzwerk::config::{LogFormat, DEFAULT_LOG_FILTER};

fn main() {
    // Every thread that does database work would get its own malloc arena (glibc allows 8
    // per core), and each keeps what its thread freed; two arenas serve the same load with
    // a fraction of the memory (BENCHMARKS.md, PSS). MALLOC_ARENA_MAX still wins if set.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes allocator settings; called before any other thread.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
    let cli = digitalnetzwerk::cli::Cli::parse();
    digitalnetzwerk::cli::load_config_file(&cli);
    let filter = tracing_subscriber::EnvFilter::try_new(
        digitalnetzwerk::config::var("RUST_LOG").unwrap_or_else(|| DEFAULT_LOG_FILTER.into()),
    )
    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match LogFormat::from_settings() {
        // One JSON object per line, for log collectors (journald, Loki, Elastic).
        Ok(LogFormat::Json) => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        // An invalid LOG_FORMAT is reported by the configuration check that follows.
        Ok(LogFormat::Text) | Err(_) => logs.init(),
    }
    digitalnetzwerk::cli::run(cli);
}
