use std::io::Write;

use anyhow::Context;
use clap::Parser;
use duken_server::cli::{run_audit, run_report_template, run_template, run_user, Cli, Command};
use duken_server::storage;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let Cli { config, command } = Cli::parse();
    let storage = storage::connect(&config.database_url)
        .await
        .context("opening the database")?;
    let done = match command {
        Some(Command::User(cmd)) => Some(run_user(storage.as_ref(), cmd).await),
        Some(Command::Audit(cmd)) => {
            Some(run_audit(storage.as_ref(), &config.audit_files(), cmd).await)
        }
        Some(Command::Template(cmd)) => Some(run_template(storage.as_ref(), cmd).await),
        Some(Command::ReportTemplate(cmd)) => {
            Some(run_report_template(storage.as_ref(), cmd).await)
        }
        Some(Command::Grant {
            family,
            username,
            access,
        }) => Some(
            duken_server::accounts::grant(storage.as_ref(), family, &username, &access)
                .await
                .map(|()| format!("{username} har nå tilgang ({access}) til familie {family}."))
                .map_err(Into::into),
        ),
        Some(Command::Revoke { family, username }) => Some(
            duken_server::accounts::revoke(storage.as_ref(), family, &username)
                .await
                .map(|()| format!("{username} har ikke lenger tilgang til familie {family}."))
                .map_err(Into::into),
        ),
        Some(Command::Demo) => Some(
            duken_server::demo::seed(storage.as_ref(), chrono::Local::now().date_naive())
                .await
                .map_err(Into::into),
        ),
        Some(Command::Serve) | None => None,
    };
    match done {
        Some(Ok(out)) => {
            println!("{out}");
            return Ok(());
        }
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
        None => {}
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "the built app is missing; build it with scripts/build-app");
    }
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "Duken is running");
    // Not `println!`: a closed stdout (a supervisor that stopped reading) must not stop the server.
    let _ = writeln!(std::io::stdout(), "Duken kjører på http://{addr}/");
    duken_server::serve(listener, storage, config.serve_options(), shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
