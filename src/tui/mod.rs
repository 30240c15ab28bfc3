//! Placeholder until the terminal UI lands.
use std::path::PathBuf;

use tokio::sync::{mpsc, watch};

use crate::sync::{Progress, SyncCommand, SyncEvent};

pub struct TuiContext {
    pub db_path: PathBuf,
    pub account_id: Option<u32>,
    pub source: Option<crate::source::SourceKind>,
    pub label: Option<String>,
    pub commands: mpsc::UnboundedSender<SyncCommand>,
    pub progress: watch::Receiver<Progress>,
    pub events: mpsc::UnboundedReceiver<SyncEvent>,
    pub autostart: bool,
}

pub async fn run(_ctx: TuiContext) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("the terminal UI is not built yet"))
}
