//! The command line: `duken-server` serves; `duken-server user …` manages accounts.

use std::io::BufRead;

use clap::{Args, Parser, Subcommand};

use crate::accounts::{self, generate_password, AccountError};
use crate::config::Config;
use crate::storage::Storage;

#[derive(Debug, Parser)]
#[command(
    name = "duken-server",
    about = "Duken: sync server and app host",
    version
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The access log: check it, or write one family's log in plain language.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// A team's own cloth templates (JSON, see domain/templates/ for the built-in ones).
    #[command(subcommand)]
    Template(TemplateCommand),
    /// A team's own report templates, the sections a partner writes (JSON, see
    /// domain/templates/report_default.json for Duken's own).
    #[command(subcommand)]
    ReportTemplate(TemplateCommand),
    /// Give a user access to a family.
    Grant {
        family: uuid::Uuid,
        username: String,
        /// partner (read and write) or reader (read only).
        #[arg(long, default_value = "reader")]
        access: String,
    },
    /// Fill an EMPTY database with practice data: a demo team, its users and the workbook's
    /// case family, so a newcomer sees Duken filled in. Refuses a database with any user.
    Demo,
    /// Take a user's access to a family away (their devices stop receiving it; edits they
    /// make offline are refused and shown to them as not sent).
    Revoke {
        family: uuid::Uuid,
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Check a template file and make it available to the team's devices.
    Add {
        file: std::path::PathBuf,
        #[arg(long)]
        team: String,
    },
    /// The team's templates (newest version of each).
    List {
        #[arg(long)]
        team: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the signed chain against the key file and the checkpoints; exits with an error
    /// naming the first entry that does not hold.
    Verify,
    /// Add a new signing key (used from the next start; keep the old ones to verify with).
    RotateKey,
    /// Who has read or changed this family's data, in plain language (for the family).
    Export { family: uuid::Uuid },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Prints a one-time password unless --password-stdin is given.
    Create {
        username: String,
        /// Name shown in the app, e.g. "Kari Nordmann".
        #[arg(long)]
        name: String,
        /// familiepartner, teamleder, kontaktperson or admin.
        #[arg(long)]
        role: String,
        /// The team the user works in (made if new).
        #[arg(long)]
        team: Option<String>,
        #[command(flatten)]
        password: PasswordSource,
    },
    /// Set a new password. Prints it unless --password-stdin is given.
    ResetPassword {
        username: String,
        #[command(flatten)]
        password: PasswordSource,
    },
    /// Disable an account and end all its sessions at once.
    Disable { username: String },
    /// List accounts.
    List,
}

#[derive(Debug, Args)]
pub struct PasswordSource {
    /// Read the password from the first line of standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

impl PasswordSource {
    /// The password to set, and whether it was generated (and so must be shown once).
    fn get(&self) -> std::io::Result<(String, bool)> {
        if self.password_stdin {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
        } else {
            Ok((generate_password(), true))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Demo(#[from] crate::demo::DemoError),
    #[error(transparent)]
    Verify(#[from] crate::audit::VerifyError),
    #[error(transparent)]
    Key(#[from] crate::audit::KeyError),
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("kunne ikke lese passordet: {0}")]
    Input(#[from] std::io::Error),
    #[error("kunne ikke lese malfilen: {0}")]
    File(std::io::Error),
    #[error(transparent)]
    Template(#[from] crate::templates::TemplateAddError),
}

/// Runs a `template` command; returns what to print.
pub async fn run_template(storage: &dyn Storage, cmd: TemplateCommand) -> Result<String, CliError> {
    match cmd {
        TemplateCommand::Add { file, team } => {
            let json = std::fs::read_to_string(&file).map_err(CliError::File)?;
            let t = crate::templates::add(storage, &team, &json).await?;
            Ok(format!(
                "La til malen «{}» ({}, versjon {}) for teamet {team}. Enhetene på nett får den innen fem minutter (eller når appen åpnes).",
                t.name.nb, t.code, t.version
            ))
        }
        TemplateCommand::List { team } => {
            let Some(team_id) = storage.find_team(&team).await? else {
                return Ok(format!("Det finnes ikke noe team som heter {team}."));
            };
            let list = crate::templates::of_team(storage, &team_id).await?;
            if list.is_empty() {
                return Ok(format!("Teamet {team} har ingen egne maler."));
            }
            Ok(list
                .iter()
                .map(|t| format!("{}\tversjon {}\t{}", t.code, t.version, t.name.nb))
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

/// Runs a `report-template` command; returns what to print.
pub async fn run_report_template(
    storage: &dyn Storage,
    cmd: TemplateCommand,
) -> Result<String, CliError> {
    match cmd {
        TemplateCommand::Add { file, team } => {
            let json = std::fs::read_to_string(&file).map_err(CliError::File)?;
            let t = crate::templates::add_report(storage, &team, &json).await?;
            Ok(format!(
                "La til rapportmalen «{}» ({}, versjon {}) for teamet {team}. Nye rapporter på teamets enheter bruker den fra neste synkronisering.",
                t.name.nb, t.code, t.version
            ))
        }
        TemplateCommand::List { team } => {
            let Some(team_id) = storage.find_team(&team).await? else {
                return Ok(format!("Det finnes ikke noe team som heter {team}."));
            };
            let list = crate::templates::report_of_team(storage, &team_id).await?;
            if list.is_empty() {
                return Ok(format!("Teamet {team} har ingen egne rapportmaler."));
            }
            Ok(list
                .iter()
                .map(|t| format!("{}\tversjon {}\t{}", t.code, t.version, t.name.nb))
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

/// Runs a `user` command; returns what to print.
pub async fn run_user(storage: &dyn Storage, cmd: UserCommand) -> Result<String, CliError> {
    Ok(match cmd {
        UserCommand::Create {
            username,
            name,
            role,
            team,
            password,
        } => {
            let (pw, generated) = password.get()?;
            let user = accounts::create_user_as(
                storage,
                &username,
                &name,
                &role,
                &pw,
                team.as_deref(),
                generated,
            )
            .await?;
            // Says the team back, so a mistyped team name (which makes a new team) is seen.
            let team = match team.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => format!(" i team «{t}»"),
                None => " uten team".to_owned(),
            };
            let mut out = format!(
                "Opprettet {} ({}, {}){team}.",
                user.username, user.display_name, user.role
            );
            if generated {
                out.push_str(&format!(
                    "\nEngangspassord: {pw}\nGi det til brukeren personlig; det vises ikke igjen. Ved første innlogging lager brukeren sitt eget."
                ));
            }
            out
        }
        UserCommand::ResetPassword { username, password } => {
            let (pw, generated) = password.get()?;
            accounts::reset_password(storage, &username, &pw, generated).await?;
            if generated {
                format!("Nytt engangspassord for {username}: {pw}\nGi det til brukeren personlig; det vises ikke igjen. Ved neste innlogging lager brukeren sitt eget.")
            } else {
                format!("Nytt passord satt for {username}.")
            }
        }
        UserCommand::Disable { username } => {
            accounts::disable_user(storage, &username).await?;
            format!("{username} er deaktivert, og alle enhetene er logget ut.")
        }
        UserCommand::List => {
            let users = storage.users().await.map_err(AccountError::from)?;
            let teams: std::collections::HashMap<String, String> = storage
                .teams()
                .await
                .map_err(AccountError::from)?
                .into_iter()
                .collect();
            if users.is_empty() {
                "Ingen brukere ennå. Opprett en med: duken-server user create BRUKERNAVN --name \"Navn\" --role familiepartner".to_owned()
            } else {
                users
                    .iter()
                    .map(|u| {
                        let state = if u.disabled_at.is_some() {
                            " (deaktivert)"
                        } else {
                            ""
                        };
                        let first_login = if u.one_time_password_at.is_some() {
                            " (har engangspassord)"
                        } else {
                            ""
                        };
                        let team = u
                            .team_id
                            .as_ref()
                            .and_then(|t| teams.get(t))
                            .map_or("uten team", String::as_str);
                        format!(
                            "{}\t{}\t{}\t{}{state}{first_login}",
                            u.username, u.role, team, u.display_name
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    })
}

/// Runs an `audit` command; returns what to print.
pub async fn run_audit(
    storage: &dyn Storage,
    files: &crate::audit::AuditFiles,
    cmd: AuditCommand,
) -> Result<String, CliError> {
    match cmd {
        AuditCommand::Verify => {
            let v = crate::audit::verify(storage, files).await?;
            let mut out = format!(
                "Tilgangsloggen er hel: {} oppføringer kontrollert mot {} sjekkpunkter.",
                v.entries, v.checkpoints
            );
            if v.unkeyed > 0 {
                out.push_str(&format!(
                    "\n{} oppføringer er fra før loggen ble signert; de er bare så sikre som det første sjekkpunktet.",
                    v.unkeyed
                ));
            }
            Ok(out)
        }
        AuditCommand::RotateKey => {
            let id = crate::audit::Keyring::rotate(&files.keys)?;
            Ok(format!(
                "La til nøkkel {id} i {}. Start serveren på nytt for å signere med den; behold de gamle nøklene.",
                files.keys.display()
            ))
        }
        AuditCommand::Export { family } => {
            let lines = crate::audit::export(storage, family).await?;
            if lines.is_empty() {
                return Ok("Ingen har hentet eller endret opplysninger om denne familien.".into());
            }
            Ok(format!(
                "Tilgangslogg for familie {family}: hvem som har hentet eller endret opplysningene, og når.\n{}",
                lines.join("\n")
            ))
        }
    }
}
