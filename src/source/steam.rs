//! (placeholder: written by the clients work)
use super::*;

pub const DEFAULT_BASE: &str = "https://api.steampowered.com";

pub struct SteamClient;

impl SteamClient {
    pub fn new(_config: &SourceConfig) -> Result<SteamClient, FetchError> {
        Ok(SteamClient)
    }
}

impl MatchSource for SteamClient {
    fn kind(&self) -> SourceKind {
        SourceKind::Steam
    }

    async fn history_page(
        &self,
        _a: u32,
        _c: Option<HistoryCursor>,
    ) -> Result<HistoryPage, FetchError> {
        todo!()
    }

    async fn match_details(&self, _w: MatchRef) -> Result<MatchDetails, FetchError> {
        todo!()
    }
}
