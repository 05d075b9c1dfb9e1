//! Profiles: API keys (and optionally a base URL and version) stored by `yotta auth login` in
//! `config.toml`, readable by its owner only.
//!
//! ```toml
//! [profiles.default]
//! api_key = "..."
//!
//! [profiles.staging]
//! api_key = "..."
//! base_url = "https://staging.example.com"
//! api_version = "v1"
//! ```

use crate::args::ApiKey;
use crate::exit::{CliResult, Failure};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Overrides the config directory (tests, several setups side by side).
pub const CONFIG_DIR_VARIABLE: &str = "YOTTA_CONFIG_DIR";

/// A config file larger than this is refused rather than read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The whole file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile. `Debug` shows the key as `<redacted>`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "stored_key")]
    pub api_key: Option<ApiKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
}

/// The key as the file stores it: in clear, the file being the owner's alone (as gh and the
/// vendor's own CLI store tokens).
mod stored_key {
    use super::*;

    pub fn serialize<S: Serializer>(key: &Option<ApiKey>, serializer: S) -> Result<S::Ok, S::Error> {
        match key {
            Some(key) => serializer.serialize_str(key.expose()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<ApiKey>, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.map(ApiKey::new))
    }
}

/// `$YOTTA_CONFIG_DIR/config.toml`, else `yotta/config.toml` in the user's config directory
/// (`$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows).
pub fn path() -> Option<PathBuf> {
    let dir = match std::env::var_os(CONFIG_DIR_VARIABLE).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => dirs::config_dir()?.join("yotta"),
    };
    Some(dir.join("config.toml"))
}

/// A profile name: what can be typed without quoting.
pub fn check_profile_name(name: &str) -> CliResult<()> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "invalid --profile: must be 1 to 64 letters, digits, '-' or '_' (got {name:?})"
        )))
    }
}

impl ConfigFile {
    /// The file at `path`, or an empty one when it does not exist. Errors name the file and
    /// the field.
    pub fn load(path: &Path) -> CliResult<Self> {
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Failure::Usage(format!("cannot read {}: {e}", path.display()))),
        };
        warn_if_shared(path, &file);
        let mut text = String::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(Failure::Usage(format!("{} is larger than 1 MiB", path.display())));
        }
        let config: Self = toml::from_str(&text)
            .map_err(|e| Failure::Usage(format!("invalid {}: {}", path.display(), e.message())))?;
        for name in config.profiles.keys() {
            check_profile_name(name)
                .map_err(|_| Failure::Usage(format!("invalid {}: profile name {name:?}", path.display())))?;
        }
        Ok(config)
    }

    /// Writes the file atomically (a private temporary file renamed over it), readable and
    /// writable by the owner only (0600, in a 0700 directory on Unix).
    pub fn save(&self, path: &Path) -> CliResult {
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            Failure::Other(anyhow::anyhow!("cannot {what} {}: {e}", path.display()))
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| failed("create the directory of", &e))?;
        let text = toml::to_string(self).map_err(|e| failed("serialise", &e))?;
        // tempfile creates the file 0600 from the start: the key is never readable by others,
        // not even for an instant.
        let mut file = tempfile::Builder::new()
            .prefix(".config.toml.")
            .tempfile_in(dir)
            .map_err(|e| failed("write", &e))?;
        file.write_all(text.as_bytes()).map_err(|e| failed("write", &e))?;
        file.as_file().sync_all().map_err(|e| failed("write", &e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600))
                .map_err(|e| failed("protect", &e))?;
        }
        file.persist(path).map_err(|e| failed("write", &e.error))?;
        Ok(())
    }
}

/// A key file others can read is worth a warning (not a refusal: the key is already exposed,
/// and refusing would only stop the operator's work).
fn warn_if_shared(path: &Path, file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = file.metadata()
            && metadata.permissions().mode() & 0o077 != 0
        {
            crate::progress::eprintln_line(&format!(
                "warning: {} is readable by other users: run chmod 600 on it",
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, file);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_round_trip_with_mode_0600_and_redacted_debug() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("config.toml");
        let mut config = ConfigFile::load(&path).unwrap();
        assert!(config.profiles.is_empty());
        config.profiles.insert(
            "staging".into(),
            Profile {
                api_key: Some(ApiKey::new("sk-profile-secret")),
                base_url: Some("http://127.0.0.1:1".into()),
                api_version: None,
            },
        );
        config.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "[profiles.staging]\napi_key = \"sk-profile-secret\"\nbase_url = \"http://127.0.0.1:1\"\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let mode = std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
        let loaded = ConfigFile::load(&path).unwrap();
        let debug = format!("{loaded:?}");
        assert!(
            !debug.contains("sk-profile-secret") && debug.contains("<redacted>"),
            "{debug}"
        );
        assert_eq!(
            loaded.profiles["staging"].api_key.as_ref().unwrap().expose(),
            "sk-profile-secret"
        );
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn bad_files_and_names_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.default]\napikey = \"x\"\n").unwrap();
        let Err(Failure::Usage(message)) = ConfigFile::load(&path) else {
            panic!()
        };
        assert!(
            message.starts_with(&format!("invalid {}: unknown field `apikey`", path.display())),
            "{message}"
        );
        std::fs::write(&path, "[profiles.\"has space\"]\n").unwrap();
        let Err(Failure::Usage(message)) = ConfigFile::load(&path) else {
            panic!()
        };
        assert!(message.contains("profile name \"has space\""), "{message}");
        assert!(check_profile_name("prod-eu_1").is_ok());
        for bad in ["", "a b", "../x", &"x".repeat(65)] {
            assert!(check_profile_name(bad).is_err(), "{bad}");
        }
    }
}
