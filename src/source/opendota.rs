//! (placeholder: written by the clients work)
use super::*;

pub const DEFAULT_BASE: &str = "https://api.opendota.com/api";

pub struct OpenDotaClient;

impl OpenDotaClient {
    pub fn new(_config: &SourceConfig) -> Result<OpenDotaClient, FetchError> {
        Ok(OpenDotaClient)
    }
}

impl MatchSource for OpenDotaClient {
    fn kind(&self) -> SourceKind {
        SourceKind::OpenDota
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
