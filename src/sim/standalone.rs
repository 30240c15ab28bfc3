//! `dota-sync simulate`: run the simulator in the foreground for manual
//! testing or for another process to sync against.

use super::faults::FaultPlan;
use super::server::{SimConfig, SimServer};

/// Options of `dota-sync simulate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulateOptions {
    /// 0: any free port.
    pub port: u16,
    /// Public accounts (at least 2).
    pub accounts: usize,
    /// Matches per account.
    pub matches: usize,
    /// A preset name or a plan file; None: no faults.
    pub faults: Option<String>,
    pub seed: u64,
    /// Some(k): Steam requests must carry exactly this key.
    pub key: Option<String>,
}

impl Default for SimulateOptions {
    fn default() -> SimulateOptions {
        let config = SimConfig::default();
        SimulateOptions {
            port: 0,
            accounts: config.accounts,
            matches: config.matches_per_account,
            faults: None,
            seed: config.seed,
            key: None,
        }
    }
}

/// Starts the simulator, prints its accounts, base URL and example commands
/// on stdout, then serves until Ctrl-C or SIGTERM. Errors are one line.
pub async fn run_standalone(options: SimulateOptions) -> Result<(), String> {
    let faults = match options.faults.as_deref() {
        Some(arg) => FaultPlan::parse_arg(arg)?,
        None => FaultPlan::default(),
    };
    // A plan that names STRATZ's one token (the demo's) must be told.
    let stratz_token = faults.stratz.token.clone().unwrap_or_else(|| "any".into());
    if options.accounts < 2 {
        return Err("--accounts must be at least 2".into());
    }
    let config = SimConfig {
        seed: options.seed,
        accounts: options.accounts,
        matches_per_account: options.matches,
        faults,
        required_key: options.key.clone(),
        get_match_details_works: false,
        ..SimConfig::default()
    };
    let server = SimServer::start_on_port(config, options.port)
        .await
        .map_err(|error| {
            format!(
                "cannot start the simulator on 127.0.0.1:{}: {error}",
                options.port
            )
        })?;
    println!("{}", banner(&server, options.key.is_some(), &stratz_token));
    wait_for_stop_signal().await;
    println!("stopping the simulator");
    server.shutdown().await;
    Ok(())
}

/// What `simulate` prints: the accounts, the URL and how to use them.
fn banner(server: &SimServer, key_required: bool, stratz_token: &str) -> String {
    let dataset = server.dataset();
    let url = server.base_url();
    let mut lines = vec![
        format!("Simulated Steam, OpenDota and STRATZ API at {url}"),
        String::new(),
    ];
    lines.push(format!(
        "{:>12}  {:<20} {:<8} {:>7} {:>9} {:>9}",
        "account", "vanity", "private", "matches", "opendota", "immortal"
    ));
    for account in dataset.accounts() {
        // What OpenDota lists (nothing for a private profile), and how many
        // the sequence endpoint leaves out.
        let on_opendota = if account.private {
            "-".to_string()
        } else {
            let has = account.match_ids.iter();
            has.filter(|id| !server.opendota_lacks(**id))
                .count()
                .to_string()
        };
        let immortal = account
            .match_ids
            .iter()
            .filter(|id| dataset.is_immortal_draft(**id))
            .count();
        lines.push(format!(
            "{:>12}  {:<20} {:<8} {:>7} {:>9} {:>9}",
            account.account_id,
            account.vanity,
            if account.private { "yes" } else { "no" },
            account.match_ids.len(),
            on_opendota,
            immortal,
        ));
    }
    let first = dataset.accounts()[0].account_id;
    let key = if key_required {
        "<the --key value>"
    } else {
        "any"
    };
    lines.push(String::new());
    lines.push("Try:".into());
    lines.push(format!(
        "  STEAM_API_KEY={key} dota-sync sync --account {first} --api-base {url}"
    ));
    lines.push(format!(
        "  dota-sync sync --source opendota --account {first} --api-base {url}"
    ));
    lines.push(format!(
        "  STRATZ_API_TOKEN={stratz_token} dota-sync sync --source stratz --account {first} --api-base {url}"
    ));
    lines.push(format!("Stats: {url}/sim/stats    Stop: Ctrl-C"));
    lines.join("\n")
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn banner_lists_accounts_url_and_commands() {
        let config = SimConfig {
            accounts: 2,
            matches_per_account: 12,
            ..SimConfig::default()
        };
        let server = SimServer::start(config).await.unwrap();
        let text = banner(&server, false, "any");
        let dataset = server.dataset();
        for account in dataset.accounts() {
            assert!(text.contains(&account.account_id.to_string()));
            assert!(text.contains(&account.vanity));
        }
        assert!(text.contains(&server.base_url()));
        let first = dataset.accounts()[0].account_id;
        assert!(text.contains(&format!(
            "STEAM_API_KEY=any dota-sync sync --account {first} --api-base {}",
            server.base_url()
        )));
        assert!(text.contains("--source opendota"));
        assert!(text.contains(&format!(
            "STRATZ_API_TOKEN=any dota-sync sync --source stratz --account {first} --api-base {}",
            server.base_url()
        )));
        assert!(
            banner(&server, false, "demo-stratz-token")
                .contains("STRATZ_API_TOKEN=demo-stratz-token")
        );
        assert!(
            text.lines().any(|line| line.contains("yes")),
            "the private account is marked"
        );
        assert!(text.contains("opendota") && text.contains("immortal"));
        assert!(banner(&server, true, "any").contains("<the --key value>"));
    }

    #[tokio::test]
    async fn bad_options_fail_in_one_line() {
        let options = SimulateOptions {
            faults: Some("no-such-plan".into()),
            ..SimulateOptions::default()
        };
        let error = run_standalone(options).await.unwrap_err();
        assert!(
            error.contains("no-such-plan") && !error.contains('\n'),
            "{error}"
        );
        let options = SimulateOptions {
            accounts: 1,
            ..SimulateOptions::default()
        };
        assert!(run_standalone(options).await.is_err());
    }
}
