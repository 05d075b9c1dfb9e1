//! `yotta auth login | status | logout`: the API key of a profile, stored in the config file.

use crate::args::{ApiKey, AuthCommand, Cli};
use crate::config::{self, ConfigFile, DEFAULT_PROFILE};
use crate::exit::{CliResult, Failure};
use crate::output::{Fields, Printer, escape};
use crate::prompt;
use crate::settings::{self, Origins, Settings, Source};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;

pub async fn run(cli: &Cli, origins: &Origins, printer: Printer, command: &AuthCommand) -> CliResult {
    match command {
        AuthCommand::Login { no_verify } => login(cli, origins, printer, *no_verify).await,
        AuthCommand::Status { no_verify } => status(cli, origins, printer, *no_verify).await,
        AuthCommand::Logout => logout(cli, printer),
    }
}

fn profile_name(cli: &Cli) -> CliResult<String> {
    let name = cli
        .profile
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(DEFAULT_PROFILE)
        .to_string();
    config::check_profile_name(&name)?;
    Ok(name)
}

fn config_path() -> CliResult<PathBuf> {
    config::path().ok_or_else(|| {
        Failure::Usage(format!(
            "no config directory: set {} to where profiles should be kept",
            config::CONFIG_DIR_VARIABLE
        ))
    })
}

/// What `auth login` and `auth logout` print with `-o json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    profile: String,
    config_file: PathBuf,
    action: &'static str,
    /// Whether the API accepted the key before it was stored (`false` with `--no-verify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
}

/// The key to store: from an explicit option, else a hidden prompt on a terminal, else the
/// first line of stdin. `YOTTA_API_KEY` is not stored: it is already where it is needed.
fn key_to_store(cli: &Cli, origins: &Origins) -> CliResult<ApiKey> {
    if cli.no_api_key {
        return Err(Failure::Usage("auth login stores a key: drop --no-api-key".to_string()));
    }
    if let Some((key, source)) = settings::given_key(cli, origins)?
        && !matches!(source, Source::Env(_))
    {
        return Ok(key);
    }
    if prompt::interactive() {
        let key = prompt::secret("Paste your Yotta API key (input hidden): ")?;
        let key = key.trim();
        if key.is_empty() {
            return Err(Failure::Usage("auth login: no key was entered".to_string()));
        }
        return Ok(ApiKey::new(key));
    }
    if std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "auth login: stderr is not a terminal, so the prompt cannot be shown: pipe the key on stdin \
             or pass --api-key-file"
                .to_string(),
        ));
    }
    Ok(ApiKey::new(prompt::first_line_of_stdin("auth login")?))
}

async fn login(cli: &Cli, origins: &Origins, printer: Printer, no_verify: bool) -> CliResult {
    let profile = profile_name(cli)?;
    let path = config_path()?;
    let key = key_to_store(cli, origins)?;
    let mut file = ConfigFile::load(&path)?;
    let mut stored = file.profiles.get(&profile).cloned().unwrap_or_default();
    stored.api_key = Some(key.clone());
    // Only what the command line says is stored with the key, not the environment's.
    if let Some(url) = cli.base_url.as_deref().filter(|u| !u.trim().is_empty())
        && !origins.base_url_from_env
    {
        stored.base_url = Some(url.to_string());
    }
    if let Some(version) = cli.api_version
        && !origins.api_version_from_env
    {
        stored.api_version = Some(version.as_str().to_string());
    }

    let verified = if no_verify {
        None
    } else {
        // Checked where it will be used: the command line's or the environment's base URL, else
        // the profile's.
        let mut builder = yotta::Client::builder()
            .api_key(key.expose())
            .timeout(cli.request_timeout)
            .max_retries(cli.max_retries)
            .max_body_bytes(cli.max_body_bytes);
        if let Some(url) = cli
            .base_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .or(stored.base_url.as_deref())
        {
            builder = builder.base_url(url);
        }
        if let Some(version) = cli.api_version.or_else(|| stored.api_version.as_deref()?.parse().ok()) {
            builder = builder.api_version(version);
        }
        if cli.debug {
            builder = builder.observe(crate::logging::debug_observer());
        }
        builder.build()?.endpoints().list(&[]).await?;
        Some(true)
    };
    file.profiles.insert(profile.clone(), stored);
    file.save(&path)?;
    let result = Stored {
        profile,
        config_file: path,
        action: "login",
        verified,
    };
    printer.print(&result, |_| {
        let checked = if verified.is_some() {
            "accepted by the API; "
        } else {
            ""
        };
        format!(
            "Logged in: the key of profile {:?} was {checked}stored in {} (owner-only).\n",
            result.profile,
            escape(&result.config_file.display().to_string())
        )
    })?;
    Ok(())
}

/// What `auth status` prints with `-o json`. Never the key, nor any part of it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    profile: String,
    config_file: Option<PathBuf>,
    /// `flag`, `env`, `profile`, `disabled`, or null without a key.
    key_source: Option<&'static str>,
    key_origin: Option<String>,
    base_url: String,
    base_url_source: &'static str,
    api_version: &'static str,
    api_version_source: &'static str,
    /// Whether the API accepted the key; null when not checked.
    key_accepted: Option<bool>,
}

async fn status(cli: &Cli, origins: &Origins, printer: Printer, no_verify: bool) -> CliResult {
    let settings = Settings::resolve(cli, origins)?;
    let mut status = Status {
        profile: settings.profile.clone(),
        config_file: settings.config_path.clone(),
        key_source: settings.key_source.as_ref().map(Source::kind),
        key_origin: settings.key_source.as_ref().map(ToString::to_string),
        base_url: settings
            .base_url
            .clone()
            .unwrap_or_else(|| yotta::DEFAULT_BASE_URL.to_string()),
        base_url_source: settings.base_url_source.kind(),
        api_version: settings.version.as_str(),
        api_version_source: settings.version_source.kind(),
        key_accepted: None,
    };
    let missing = settings.require_key();
    let mut failure = missing.err();
    if failure.is_none() && !no_verify {
        match settings.client(cli)?.endpoints().list(&[]).await {
            Ok(_) => status.key_accepted = Some(true),
            Err(error) => {
                if error.kind() == yotta::ErrorKind::Unauthorized {
                    status.key_accepted = Some(false);
                }
                failure = Some(error.into());
            }
        }
    }
    printer.print(&status, |width| {
        let mut fields = Fields::new();
        let source = |kind: &str, settings_source: &Source| match kind {
            "default" => " (the default)".to_string(),
            _ => format!(" (from {settings_source})"),
        };
        fields
            .add("Profile", status.profile.clone())
            .add(
                "Config file",
                status
                    .config_file
                    .as_ref()
                    .map_or("-".to_string(), |p| p.display().to_string()),
            )
            .add(
                "API key",
                match &settings.key_source {
                    None => "none".to_string(),
                    Some(Source::Disabled) => "none sent (--no-api-key)".to_string(),
                    Some(origin) => format!("set, from {origin} (never shown)"),
                },
            )
            .add(
                "Base URL",
                status.base_url.clone() + &source(status.base_url_source, &settings.base_url_source),
            )
            .add(
                "API version",
                status.api_version.to_string() + &source(status.api_version_source, &settings.version_source),
            )
            .add(
                "Key check",
                match status.key_accepted {
                    Some(true) => "accepted by the API",
                    Some(false) => "rejected by the API",
                    None => "not checked",
                },
            );
        fields.render_width(width)
    })?;
    match failure {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

fn logout(cli: &Cli, printer: Printer) -> CliResult {
    let profile = profile_name(cli)?;
    let path = config_path()?;
    let mut file = ConfigFile::load(&path)?;
    let removed = file.profiles.remove(&profile).is_some();
    if removed {
        file.save(&path)?;
    }
    let result = Stored {
        profile,
        config_file: path,
        action: if removed { "logout" } else { "none" },
        verified: None,
    };
    printer.print(&result, |_| {
        let file = escape(&result.config_file.display().to_string());
        if removed {
            format!("Logged out: removed profile {:?} from {file}.\n", result.profile)
        } else {
            format!("Profile {:?} is not in {file}: nothing to remove.\n", result.profile)
        }
    })?;
    if std::env::var(yotta::API_KEY_VARIABLE).is_ok_and(|v| !v.trim().is_empty()) {
        crate::progress::eprintln_line(&format!(
            "note: {} is still set, and commands use it",
            yotta::API_KEY_VARIABLE
        ));
    }
    Ok(())
}
