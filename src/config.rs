//! Settings: flags > environment > config file > defaults.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::source::{ApiKey, SourceKind};

/// The config file (TOML).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// `account = 86745912` or `account = "86745912"` (or any ID form, quoted).
    #[serde(default, deserialize_with = "account_text")]
    pub account: Option<String>,
    /// As `--source`: `auto`, `steam`, `opendota`, `stratz` or a list.
    pub source: Option<String>,
    /// As `--rate`: a number, or `"steam=2,opendota=1"`.
    pub rate: Option<RateValue>,
    pub api_base: Option<String>,
    pub steam_api_base: Option<String>,
    pub opendota_api_base: Option<String>,
    pub stratz_api_base: Option<String>,
    pub db: Option<PathBuf>,
    /// The TUI syncs on opening and again, new matches only, this often:
    /// `true` (every 10 minutes) or an interval (`"30m"`). Off by default.
    pub auto_sync: Option<AutoSync>,
    pub steam_api_key: Option<String>,
    pub opendota_api_key: Option<String>,
    /// The user's own STRATZ token (stratz.com/api); a secret like the keys.
    pub stratz_token: Option<String>,
}

/// `rate = 4` or `rate = "steam=2,opendota=1"`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RateValue {
    Number(f64),
    Text(String),
}

/// `auto_sync = true` or `auto_sync = "30m"`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum AutoSync {
    On(bool),
    Every(String),
}

impl AutoSync {
    /// The interval, `None` when off; an unreadable one is an error line.
    pub fn interval(&self) -> Result<Option<std::time::Duration>, ConfigError> {
        match self {
            AutoSync::On(false) => Ok(None),
            AutoSync::On(true) => Ok(Some(std::time::Duration::from_secs(600))),
            AutoSync::Every(text) => text
                .parse::<crate::cli::WatchInterval>()
                .map(|w| Some(w.0))
                .map_err(|e| ConfigError(format!("config file: auto_sync: {e}"))),
        }
    }
}

/// The account as text, whether the file wrote it as a number or a string.
fn account_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Account {
        Number(u64),
        Text(String),
    }
    Ok(Option::<Account>::deserialize(d)?.map(|a| match a {
        Account::Number(n) => n.to_string(),
        Account::Text(t) => t,
    }))
}

/// A problem with the settings; one line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "dota-sync")
}

/// `DOTA_SYNC_CONFIG`, else `config.toml` in the platform config directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DOTA_SYNC_CONFIG") {
        return Some(PathBuf::from(path));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The config file's settings; a missing file is empty settings.
pub fn load_file(path: Option<&Path>) -> Result<FileConfig, ConfigError> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => {
            return Err(ConfigError(format!(
                "cannot read config file {}: {e}",
                path.display()
            )));
        }
    };
    let config: FileConfig = toml::from_str(&text).map_err(|e| {
        ConfigError(format!(
            "config file {} is invalid: {}",
            path.display(),
            e.message().lines().next().unwrap_or("parse error")
        ))
    })?;
    if config.steam_api_key.is_some()
        || config.opendota_api_key.is_some()
        || config.stratz_token.is_some()
    {
        warn_if_readable_by_others(path);
    }
    Ok(config)
}

fn warn_if_readable_by_others(path: &Path) {
    if let Ok(meta) = fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "warning: {} holds an API key and is readable by others; run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
}

/// Writes the config file with mode 0600 (it may hold a key).
pub fn save_file(path: &Path, config: &FileConfig) -> Result<(), ConfigError> {
    let fail = |e: std::io::Error| ConfigError(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(fail)?;
    }
    let text = toml::to_string_pretty(config)
        .map_err(|e| ConfigError(format!("cannot encode config: {e}")))?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(fail)
}

/// The database path: flag > `DOTA_SYNC_DB` > config > platform data dir.
pub fn db_path(flag: Option<&Path>, file: &FileConfig) -> Result<PathBuf, ConfigError> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("DOTA_SYNC_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    if let Some(path) = &file.db {
        return Ok(path.clone());
    }
    project_dirs()
        .map(|d| d.data_dir().join("dota-sync.db"))
        .ok_or_else(|| ConfigError("cannot find a data directory; pass --db PATH".into()))
}

/// The key for a source: environment > config file. Never from argv.
pub fn api_key(kind: SourceKind, file: &FileConfig) -> Option<ApiKey> {
    let (var, from_file) = match kind {
        SourceKind::Steam => ("STEAM_API_KEY", &file.steam_api_key),
        SourceKind::OpenDota => ("OPENDOTA_API_KEY", &file.opendota_api_key),
        SourceKind::Stratz => ("STRATZ_API_TOKEN", &file.stratz_token),
    };
    std::env::var(var)
        .ok()
        .and_then(ApiKey::new)
        .or_else(|| from_file.clone().and_then(ApiKey::new))
}

/// The log file: in the platform data directory, beside the default database.
pub fn log_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DOTA_SYNC_LOG") {
        return Some(PathBuf::from(path));
    }
    project_dirs().map(|d| d.data_dir().join("dota-sync.log"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_may_be_a_number_or_a_string() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, "account = 86745912\n").unwrap();
        assert_eq!(
            load_file(Some(&path)).unwrap().account.as_deref(),
            Some("86745912")
        );
        fs::write(&path, "account = \"[U:1:86745912]\"\n").unwrap();
        assert_eq!(
            load_file(Some(&path)).unwrap().account.as_deref(),
            Some("[U:1:86745912]")
        );
        fs::write(&path, "source = \"opendota\"\n").unwrap();
        assert_eq!(load_file(Some(&path)).unwrap().account, None);
    }

    #[test]
    fn saved_config_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        let config = FileConfig {
            account: Some("86745912".into()),
            source: Some("opendota".into()),
            rate: Some(RateValue::Number(2.0)),
            ..FileConfig::default()
        };
        save_file(&path, &config).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(load_file(Some(&path)).unwrap(), config);
    }

    #[test]
    fn invalid_config_is_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, "acount = 5\n").unwrap();
        let error = load_file(Some(&path)).unwrap_err().to_string();
        assert!(!error.contains('\n'), "{error}");
        assert!(error.contains("config.toml"), "{error}");
    }
}
