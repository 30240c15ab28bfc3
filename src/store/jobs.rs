//! `sync_jobs`: one row per run, its counters kept current.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, now_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Running,
    Completed,
    /// Ended by a fatal error (key rejected, private profile, daily limit, API down).
    Failed,
    /// Stopped by the user (Ctrl-C, `q`).
    Stopped,
    /// Left running by a process that was killed; closed by the next run.
    Interrupted,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Stopped => "stopped",
            JobStatus::Interrupted => "interrupted",
        }
    }
}

/// A `sync_jobs` row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncJob {
    pub id: i64,
    pub account_id: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub phase: String,
    pub status: String,
    pub total_matches: i64,
    pub processed_matches: i64,
    pub new_matches: i64,
    pub failed_matches: i64,
    pub source: Option<String>,
    pub message: Option<String>,
}

impl Store {
    /// Closes rows left `running` by a killed process.
    pub fn close_interrupted_jobs(&mut self) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE sync_jobs SET status = 'interrupted', finished_at = ?1 WHERE status = 'running'",
                params![now_text()],
            )
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }

    pub fn start_job(
        &mut self,
        account_id: u32,
        source: &str,
        phase: &str,
    ) -> Result<i64, StoreError> {
        self.close_interrupted_jobs()?;
        self.conn
            .execute(
                "INSERT INTO sync_jobs (account_id, started_at, phase, status, source)
                 VALUES (?1, ?2, ?3, 'running', ?4)",
                params![account_id, now_text(), phase, source],
            )
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn update_job(
        &mut self,
        job_id: i64,
        phase: &str,
        total: u64,
        processed: u64,
        new: u64,
        failed: u64,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE sync_jobs SET phase = ?2, total_matches = ?3, processed_matches = ?4,
                        new_matches = ?5, failed_matches = ?6
                  WHERE id = ?1",
                params![
                    job_id,
                    phase,
                    total as i64,
                    processed as i64,
                    new as i64,
                    failed as i64
                ],
            )
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        Ok(())
    }

    pub fn finish_job(
        &mut self,
        job_id: i64,
        status: JobStatus,
        message: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE sync_jobs SET status = ?2, finished_at = ?3, message = ?4 WHERE id = ?1",
                params![job_id, status.as_str(), now_text(), message],
            )
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        Ok(())
    }

    /// The latest run, for one account or any.
    pub fn last_job(&self, account_id: Option<u32>) -> Result<Option<SyncJob>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, account_id, started_at, finished_at, phase, status, total_matches,
                        processed_matches, new_matches, failed_matches, source, message
                   FROM sync_jobs WHERE ?1 IS NULL OR account_id = ?1
                  ORDER BY id DESC LIMIT 1",
                params![account_id],
                |r| {
                    Ok(SyncJob {
                        id: r.get(0)?,
                        account_id: r.get(1)?,
                        started_at: r.get(2)?,
                        finished_at: r.get(3)?,
                        phase: r.get(4)?,
                        status: r.get(5)?,
                        total_matches: r.get(6)?,
                        processed_matches: r.get(7)?,
                        new_matches: r.get(8)?,
                        failed_matches: r.get(9)?,
                        source: r.get(10)?,
                        message: r.get(11)?,
                    })
                },
            )
            .optional()
            .map_err(|e| StoreError::sqlite(&self.path, e))
    }

    /// Accounts that have matches in this database, most matches first.
    pub fn accounts(&self) -> Result<Vec<u32>, StoreError> {
        self.rows(
            "SELECT account_id FROM account_matches GROUP BY account_id ORDER BY count(*) DESC",
            [],
            |r| r.get(0),
        )
    }
}
