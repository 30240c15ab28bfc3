//! Turning what the user typed into a 32-bit account ID.

use super::failure::Failure;
use crate::source::steam::SteamClient;
use crate::source::{FetchError, SourceConfig, SourceKind};
use crate::steam_id::{AccountInput, parse_account};

/// Parses the account, resolving a vanity URL through Steam when needed.
pub async fn resolve_account(input: &str, source: &SourceConfig) -> Result<u32, Failure> {
    match parse_account(input).map_err(|e| Failure::usage(e.to_string()))? {
        AccountInput::AccountId(id) => Ok(id),
        AccountInput::Vanity(name) => {
            // Only Steam resolves vanity names; OpenDota users still need a Steam key.
            let steam = if source.kind == SourceKind::Steam {
                source.clone()
            } else {
                SourceConfig::new(
                    SourceKind::Steam,
                    None,
                    crate::config::api_key(SourceKind::Steam, &Default::default()),
                )
            };
            if steam.key.is_none() {
                return Err(Failure::usage(format!(
                    "resolving the profile name {name:?} needs STEAM_API_KEY; pass the numeric account ID instead"
                )));
            }
            let client = SteamClient::new(&steam).map_err(fetch_failure)?;
            match client.resolve_vanity(&name).await {
                Ok(Some(id)) => Ok(id),
                Ok(None) => Err(Failure::usage(format!(
                    "no Steam profile is named {name:?}; check the URL or pass the numeric account ID"
                ))),
                Err(error) => Err(fetch_failure(error)),
            }
        }
    }
}

/// A fetch error that ends a command: one line, exit 1.
pub fn fetch_failure(error: FetchError) -> Failure {
    Failure::fatal(error.to_string())
}
