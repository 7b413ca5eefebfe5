//! The `digitalnetzwerk` binary: parses the command line and hands over to the library.
use clap::Parser;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn")),
        )
        .init();
    digitalnetzwerk::cli::run(digitalnetzwerk::cli::Cli::parse());
}
