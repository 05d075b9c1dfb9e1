//! Where the API key, the base URL and the API version come from, in order: a flag, the
//! environment, the profile (`yotta auth login`), the default.
//!
//! A key given by a flag or `YOTTA_API_KEY` bypasses the default profile entirely: the
//! profile's base URL must not receive a key it was not stored with. A profile named with
//! `--profile` (or `YOTTA_PROFILE`) is always read, and supplies what flags and variables leave
//! unset.

use crate::args::{ApiKey, Cli};
use crate::config::{self, ConfigFile, DEFAULT_PROFILE, Profile};
use crate::exit::{CliResult, Failure};
use crate::prompt;
use std::fmt;
use std::path::PathBuf;
use yotta::ApiVersion;

/// Whether clap took a value from the command line or from the environment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origins {
    pub api_key_from_env: bool,
    pub base_url_from_env: bool,
    pub api_version_from_env: bool,
    pub profile_from_env: bool,
}

impl Origins {
    pub fn from_matches(matches: &clap::ArgMatches) -> Self {
        let env = |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::EnvVariable);
        Self {
            api_key_from_env: env("api_key"),
            base_url_from_env: env("base_url"),
            api_version_from_env: env("api_version"),
            profile_from_env: env("profile"),
        }
    }
}

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    Profile(String),
    Default,
    /// `--no-api-key`.
    Disabled,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "the {flag} option"),
            Source::Env(name) => write!(f, "the {name} variable"),
            Source::Profile(name) => write!(f, "profile {name:?}"),
            Source::Default => f.write_str("the default"),
            Source::Disabled => f.write_str("--no-api-key"),
        }
    }
}

impl Source {
    /// A word for `-o json`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Flag(_) => "flag",
            Source::Env(_) => "env",
            Source::Profile(_) => "profile",
            Source::Default => "default",
            Source::Disabled => "disabled",
        }
    }
}

/// The resolved connection settings. `Debug` shows the key as `<redacted>`.
#[derive(Debug)]
pub struct Settings {
    pub key: Option<ApiKey>,
    pub key_source: Option<Source>,
    pub base_url: Option<String>,
    pub base_url_source: Source,
    pub version: ApiVersion,
    pub version_source: Source,
    pub profile: String,
    pub config_path: Option<PathBuf>,
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

impl Settings {
    pub fn resolve(cli: &Cli, origins: &Origins) -> CliResult<Self> {
        let explicit_profile = non_empty(cli.profile.as_deref());
        let profile = explicit_profile.unwrap_or(DEFAULT_PROFILE).to_string();
        if explicit_profile.is_some() {
            config::check_profile_name(&profile)?;
        }
        let config_path = config::path();

        let given = given_key(cli, origins)?;
        let (mut key, mut key_source) = match given {
            _ if cli.no_api_key => (None, Some(Source::Disabled)),
            Some((key, source)) => (Some(key), Some(source)),
            None => (None, None),
        };

        // The profile: always when named, else only when it would supply the key.
        let stored = if explicit_profile.is_some() || key_source.is_none() {
            match &config_path {
                Some(path) => {
                    let mut file = ConfigFile::load(path)?;
                    let found = file.profiles.remove(&profile);
                    if found.is_none() && explicit_profile.is_some() {
                        return Err(Failure::Usage(format!(
                            "no profile {profile:?} in {}: create it with `yotta --profile {profile} auth login`",
                            path.display()
                        )));
                    }
                    found
                }
                None if explicit_profile.is_some() => {
                    return Err(Failure::Usage(
                        "no config directory: set YOTTA_CONFIG_DIR to use profiles".to_string(),
                    ));
                }
                None => None,
            }
        } else {
            None
        };
        let stored = stored.unwrap_or_else(Profile::default);
        if key_source.is_none()
            && let Some(stored_key) = stored.api_key.clone()
        {
            key = Some(stored_key);
            key_source = Some(Source::Profile(profile.clone()));
        }

        let (base_url, base_url_source) = match non_empty(cli.base_url.as_deref()) {
            Some(url) if origins.base_url_from_env => (Some(url.to_string()), Source::Env("YOTTA_BASE_URL")),
            Some(url) => (Some(url.to_string()), Source::Flag("--base-url")),
            None => match non_empty(stored.base_url.as_deref()) {
                Some(url) => (Some(url.to_string()), Source::Profile(profile.clone())),
                None => (None, Source::Default),
            },
        };
        let (version, version_source) = match cli.api_version {
            Some(version) if origins.api_version_from_env => (version, Source::Env("YOTTA_API_VERSION")),
            Some(version) => (version, Source::Flag("--api-version")),
            None => match non_empty(stored.api_version.as_deref()) {
                Some(text) => {
                    let version = text.parse().map_err(|rule| {
                        Failure::Usage(format!("invalid api_version of profile {profile:?}: {rule}"))
                    })?;
                    (version, Source::Profile(profile.clone()))
                }
                None => (ApiVersion::default(), Source::Default),
            },
        };
        if cli.no_api_key && base_url.is_none() {
            return Err(Failure::Usage(
                "--no-api-key needs --base-url (or YOTTA_BASE_URL): the proxy that adds the key".to_string(),
            ));
        }
        Ok(Self {
            key,
            key_source,
            base_url,
            base_url_source,
            version,
            version_source,
            profile,
            config_path,
        })
    }

    /// Fails (exit 4) when there is no key and `--no-api-key` was not given: before any request.
    pub fn require_key(&self) -> CliResult<()> {
        if self.key.is_some() || self.key_source == Some(Source::Disabled) {
            return Ok(());
        }
        let login = if self.profile == DEFAULT_PROFILE {
            "yotta auth login".to_string()
        } else {
            format!("yotta --profile {} auth login", self.profile)
        };
        Err(Failure::NoKey(format!(
            "no API key: set {}, pass --api-key-file or --api-key-stdin, or store one with `{login}`",
            yotta::API_KEY_VARIABLE
        )))
    }

    /// The SDK client: these settings plus the CLI's transport options.
    pub fn client(&self, cli: &Cli) -> CliResult<yotta::Client> {
        self.require_key()?;
        let mut builder = yotta::Client::builder()
            .api_version(self.version)
            .timeout(cli.request_timeout)
            .max_retries(cli.max_retries)
            .max_body_bytes(cli.max_body_bytes);
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(key) = &self.key {
            builder = builder.api_key(key.expose());
        }
        if cli.debug {
            builder = builder.observe(crate::logging::debug_observer());
        }
        Ok(builder.build()?)
    }
}

/// The key given by `--api-key-file`, `--api-key-stdin`, `--api-key` or `YOTTA_API_KEY` (clap
/// lets only one of the options through), with where it came from.
pub fn given_key(cli: &Cli, origins: &Origins) -> CliResult<Option<(ApiKey, Source)>> {
    let other = if cli.api_key_file.is_some() {
        Some("--api-key-file")
    } else if cli.api_key_stdin {
        Some("--api-key-stdin")
    } else if cli.no_api_key {
        Some("--no-api-key")
    } else {
        None
    };
    if let Some(other) = other
        && cli.api_key.is_some()
        && !origins.api_key_from_env
    {
        return Err(Failure::Usage(format!(
            "--api-key cannot be used with {other}: give one key"
        )));
    }
    if let Some(path) = &cli.api_key_file {
        return Ok(Some((
            ApiKey::new(prompt::first_line_of_file("--api-key-file", path)?),
            Source::Flag("--api-key-file"),
        )));
    }
    if cli.api_key_stdin {
        let key = prompt::first_line_of_stdin("--api-key-stdin")?;
        return Ok(Some((ApiKey::new(key), Source::Flag("--api-key-stdin"))));
    }
    Ok(cli
        .api_key
        .as_ref()
        .filter(|k| !k.expose().trim().is_empty())
        .map(|given| {
            let source = if origins.api_key_from_env {
                Source::Env(yotta::API_KEY_VARIABLE)
            } else {
                Source::Flag("--api-key")
            };
            (given.clone(), source)
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn resolved_settings_never_show_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("key");
        std::fs::write(&key_file, "sk-settings-secret\n").unwrap();
        let cli = Cli::try_parse_from([
            "yotta",
            "--api-key-file",
            key_file.to_str().unwrap(),
            "--base-url",
            "http://127.0.0.1:9",
            "tasks",
            "count",
            "1",
        ])
        .unwrap();
        let settings = Settings::resolve(&cli, &Origins::default()).unwrap();
        assert_eq!(settings.key.as_ref().unwrap().expose(), "sk-settings-secret");
        assert_eq!(settings.key_source, Some(Source::Flag("--api-key-file")));
        let text = format!("{settings:?} {:?}", settings.client(&cli).unwrap());
        assert!(!text.contains("sk-settings-secret"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    #[test]
    fn a_typed_key_and_a_key_file_are_refused_together() {
        let cli =
            Cli::try_parse_from(["yotta", "--api-key", "k", "--api-key-file", "f", "tasks", "count", "1"]).unwrap();
        let Err(Failure::Usage(message)) = Settings::resolve(&cli, &Origins::default()) else {
            panic!()
        };
        assert_eq!(message, "--api-key cannot be used with --api-key-file: give one key");
        // From the environment, the variable simply loses to the file.
        let origins = Origins {
            api_key_from_env: true,
            ..Origins::default()
        };
        let Err(Failure::Usage(message)) = Settings::resolve(&cli, &origins) else {
            panic!()
        };
        assert!(message.starts_with("cannot read --api-key-file f"), "{message}");
    }
}
