//! `yotta credentials ...`: container registry credentials. The secret is read from a hidden
//! prompt or the first line of stdin or of a file, never from the command line, and is never
//! printed (the API does not return it).

use super::{Done, confirm_delete, done};
use crate::args::{CredentialsCommand, PasswordSource};
use crate::exit::{CliResult, Failure};
use crate::output::{Printer, escape, or_dash};
use crate::{prompt, views};
use secrecy::{ExposeSecret, SecretString};
use yotta::{Client, Credential, CredentialSpec, CredentialUpdate};

pub async fn run(client: &Client, printer: Printer, command: &CredentialsCommand) -> CliResult {
    let credentials = client.credentials();
    match command {
        CredentialsCommand::List => {
            let list = credentials.list().await?;
            printer.print(&list, |width| views::credential_list(&list, width))?;
        }
        CredentialsCommand::Get { id } => show(printer, &credentials.get(id).await?)?,
        CredentialsCommand::Create(args) => {
            const COMMAND: &str = "credentials create";
            let password = match given_password(COMMAND, &args.password)? {
                Some(password) => password,
                None => ask_password(COMMAND)?,
            };
            let mut spec = CredentialSpec::new(&args.name, &args.username, password.expose_secret());
            if let Some(registry_type) = &args.registry_type {
                spec = spec.registry_type(registry_type.clone());
            }
            show(printer, &credentials.create(&spec).await?)?;
        }
        CredentialsCommand::Update(args) => {
            let password = given_password("credentials update", &args.password)?;
            if args.name.is_none() && args.username.is_none() && password.is_none() {
                return Err(Failure::Usage(
                    "credentials update: nothing to change: give --name, --username or a new password \
                     (--password-stdin, --password-file or --prompt-password)"
                        .to_string(),
                ));
            }
            let update = CredentialUpdate {
                name: args.name.clone(),
                username: args.username.clone(),
                password: password.map(|p| p.expose_secret().to_string()),
            };
            show(printer, &credentials.update(&args.id, &update).await?)?;
        }
        CredentialsCommand::Delete { id, yes } => {
            if !yes {
                confirm_delete("credentials", "credential", id, async {
                    let credential = credentials.get(id).await?;
                    Ok(format!(
                        "{} ({}, {})",
                        escape(credential.id.as_str()),
                        escape(&credential.name),
                        or_dash(credential.registry_type.as_ref())
                    ))
                })
                .await?;
            }
            credentials.delete(id).await?;
            done(printer, Done::new(id, "delete"), format!("Deleted credential {id}."))?;
        }
    }
    Ok(())
}

fn show(printer: Printer, credential: &Credential) -> std::io::Result<()> {
    printer.print(credential, |width| views::credential(credential, width))
}

/// The password from the source the command line names, or `None` when it names none.
fn given_password(command: &str, source: &PasswordSource) -> CliResult<Option<SecretString>> {
    let password = if source.password_stdin {
        SecretString::from(prompt::first_line_of_stdin("--password-stdin")?)
    } else if let Some(path) = &source.password_file {
        SecretString::from(prompt::first_line_of_file("--password-file", path)?)
    } else if source.prompt_password {
        ask_password(command)?
    } else {
        return Ok(None);
    };
    Ok(Some(password))
}

/// The password typed at a hidden prompt; without a terminal to ask at, a usage error naming the
/// other sources.
fn ask_password(command: &str) -> CliResult<SecretString> {
    if !prompt::interactive() {
        return Err(Failure::Usage(format!(
            "{command}: no terminal to ask for the password at (stdin and stderr must be one): pass \
             --password-stdin (the first line of stdin) or --password-file FILE"
        )));
    }
    let typed = SecretString::from(prompt::secret("Registry password or token (input hidden): ")?);
    let password = typed.expose_secret().trim();
    if password.is_empty() {
        return Err(Failure::Usage(format!("{command}: no password was entered")));
    }
    Ok(SecretString::from(password.to_string()))
}
