//! Durable local state in SQLite, in a data directory the host chooses: tracked jobs, the upload
//! queue, export history, settings and profiles (never keys: those live in the OS keyring).
//!
//! WAL mode and a busy timeout let two processes (the app and the CLI) open the same file; the
//! schema is versioned with `rusqlite_migration` (PRAGMA user_version).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Row};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::export::ExportOutcome;
use crate::types::{ExportFormat, JobStatus};

/// The database file inside the data directory.
pub const DB_FILE: &str = "superdocs.db";

/// Each step is applied once, in order; never edit a released step, add a new one.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(
        "CREATE TABLE profiles (
            name        TEXT PRIMARY KEY,
            base_url    TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE tracked_jobs (
            job_id        TEXT PRIMARY KEY,
            session_id    TEXT NOT NULL,
            label         TEXT NOT NULL,
            status        TEXT NOT NULL,
            last_sequence INTEGER,
            notified      INTEGER NOT NULL DEFAULT 0,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX tracked_jobs_open ON tracked_jobs (notified, created_at);
        CREATE TABLE upload_queue (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            path        TEXT NOT NULL,
            session_id  TEXT NOT NULL,
            target      TEXT NOT NULL,
            status      TEXT NOT NULL,
            error       TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE export_history (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id  TEXT NOT NULL,
            format      TEXT NOT NULL,
            outcome     TEXT NOT NULL,
            path        TEXT,
            recipient   TEXT,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );",
    )])
}

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs an opening step again while another process holds the database (about 30 s at most).
fn with_contention_retry(mut step: impl FnMut() -> std::result::Result<(), String>) -> Result<()> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match step() {
            Ok(()) => return Ok(()),
            Err(e) if started.elapsed() < BUSY_TIMEOUT && is_contention(&e) => {
                std::thread::sleep(pause + Duration::from_millis(rand::random_range(0..=pause.as_millis() as u64)));
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            Err(e) => return Err(db_error(e)),
        }
    }
}

/// Whether a failure comes from another process using the database at the same moment.
fn is_contention(e: &str) -> bool {
    let e = e.to_ascii_lowercase();
    e.contains("locked") || e.contains("busy") || e.contains("already exists")
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn db_error(e: impl std::fmt::Display) -> Error {
    Error::internal("The app's local database could not be read or written. Restart the app; if it keeps happening, contact support.")
        .with_detail(e.to_string())
}

/// A named server to talk to. The key is in the keyring under the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedProfile {
    pub name: String,
    pub base_url: String,
}

/// A job the tracker follows (or followed), as persisted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrackedJob {
    pub job_id: String,
    pub session_id: String,
    /// What the user asked, shortened: the notification's text.
    pub label: String,
    pub status: JobStatus,
    /// The highest stream sequence handled; the stream resumes after it.
    #[ts(type = "number | null")]
    pub last_sequence: Option<u64>,
    /// The job's ending was reported to the user.
    pub notified: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// Where a queued upload goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UploadTarget {
    Document,
    Attachment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UploadState {
    Queued,
    Uploading,
    Done,
    Failed,
}

/// A row of the upload queue (see `upload_queue.rs` for the protocol).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UploadRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub path: String,
    pub session_id: String,
    pub target: UploadTarget,
    pub status: UploadState,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// How an export reached the user (the history's summary of [`crate::export::ExportOutcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportDelivery {
    /// Written to `path`.
    Saved,
    /// Rendered in the background; a link was e-mailed to `recipient`.
    Emailed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub session_id: String,
    pub format: String,
    pub delivery: ExportDelivery,
    pub path: Option<String>,
    pub recipient: Option<String>,
    pub created_at: String,
}

/// Enum values as stored in TEXT columns: their serde names.
fn to_text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn from_text<T: serde::de::DeserializeOwned>(s: String) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.clone())).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown value `{s}`: {e}").into(),
        )
    })
}

/// The local database. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::internal(format!("Could not create the data folder {}. Check its permissions.", data_dir.display()))
                .with_detail(e.to_string())
        })?;
        let path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&path).map_err(db_error)?;
        // Another process may hold the write lock for a moment: wait rather than fail. Generous, because
        // a loaded machine running several CLIs and the app at once can queue writers for seconds.
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db_error)?;
        // Switching to WAL and migrating need the write lock too, and a process that opens the file
        // while another one creates it can be refused at once instead of waiting (SQLite does not call
        // the busy handler when a read transaction must become a write one, and a concurrent migration
        // may report "table exists" before the other's `user_version` is visible). Those steps are
        // retried; each is idempotent, and a migration that failed was rolled back whole.
        with_contention_retry(|| conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| e.to_string()))?;
        with_contention_retry(|| conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| e.to_string()))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db_error)?;
        with_contention_retry(|| migrations().to_latest(&mut conn).map_err(|e| e.to_string()))?;
        Ok(Store { conn: Arc::new(Mutex::new(conn)), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (each statement is atomic).
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ---- profiles ----

    pub fn save_profile(&self, p: &SavedProfile) -> Result<()> {
        let t = now();
        self.conn()
            .execute(
                "INSERT INTO profiles (name, base_url, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
                 ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, updated_at = excluded.updated_at",
                params![p.name, p.base_url, t],
            )
            .map_err(db_error)?;
        Ok(())
    }

    pub fn profile(&self, name: &str) -> Result<Option<SavedProfile>> {
        self.conn()
            .query_row("SELECT name, base_url FROM profiles WHERE name = ?1", [name], |r| {
                Ok(SavedProfile { name: r.get(0)?, base_url: r.get(1)? })
            })
            .optional()
            .map_err(db_error)
    }

    pub fn profiles(&self) -> Result<Vec<SavedProfile>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT name, base_url FROM profiles ORDER BY name").map_err(db_error)?;
        let rows = st.query_map([], |r| Ok(SavedProfile { name: r.get(0)?, base_url: r.get(1)? })).map_err(db_error)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db_error)
    }

    /// True when the profile existed.
    pub fn delete_profile(&self, name: &str) -> Result<bool> {
        Ok(self.conn().execute("DELETE FROM profiles WHERE name = ?1", [name]).map_err(db_error)? > 0)
    }

    // ---- tracked jobs ----

    const JOB_COLS: &'static str = "job_id, session_id, label, status, last_sequence, notified, created_at, updated_at";

    fn job_row(r: &Row<'_>) -> rusqlite::Result<TrackedJob> {
        Ok(TrackedJob {
            job_id: r.get(0)?,
            session_id: r.get(1)?,
            label: r.get(2)?,
            status: from_text(r.get(3)?)?,
            last_sequence: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
            notified: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
        })
    }

    /// Starts tracking a job; tracking it again keeps what is known (its sequence, its status).
    pub fn track_job(&self, job_id: &str, session_id: &str, label: &str, status: JobStatus) -> Result<()> {
        let t = now();
        self.conn()
            .execute(
                "INSERT INTO tracked_jobs (job_id, session_id, label, status, last_sequence, notified, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, NULL, 0, ?5, ?5) ON CONFLICT(job_id) DO NOTHING",
                params![job_id, session_id, label, to_text(&status), t],
            )
            .map_err(db_error)?;
        Ok(())
    }

    pub fn tracked_job(&self, job_id: &str) -> Result<Option<TrackedJob>> {
        let sql = format!("SELECT {} FROM tracked_jobs WHERE job_id = ?1", Self::JOB_COLS);
        self.conn().query_row(&sql, [job_id], Self::job_row).optional().map_err(db_error)
    }

    /// Newest first.
    pub fn tracked_jobs(&self, limit: u32) -> Result<Vec<TrackedJob>> {
        self.jobs_where("1 = 1", limit)
    }

    /// Jobs whose ending has not been reported yet: what a new process picks up.
    pub fn unreported_jobs(&self) -> Result<Vec<TrackedJob>> {
        self.jobs_where("notified = 0", u32::MAX)
    }

    fn jobs_where(&self, cond: &str, limit: u32) -> Result<Vec<TrackedJob>> {
        let sql = format!(
            "SELECT {} FROM tracked_jobs WHERE {cond} ORDER BY created_at DESC, rowid DESC LIMIT ?1",
            Self::JOB_COLS
        );
        let conn = self.conn();
        let mut st = conn.prepare(&sql).map_err(db_error)?;
        let rows = st.query_map([limit as i64], Self::job_row).map_err(db_error)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db_error)
    }

    /// Records progress: the status and the highest sequence handled (which never goes back).
    pub fn update_job(&self, job_id: &str, status: JobStatus, last_sequence: Option<u64>) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE tracked_jobs SET status = ?2,
                    last_sequence = CASE WHEN ?3 IS NULL THEN last_sequence
                                         WHEN last_sequence IS NULL OR ?3 > last_sequence THEN ?3
                                         ELSE last_sequence END,
                    updated_at = ?4
                 WHERE job_id = ?1",
                params![job_id, to_text(&status), last_sequence.map(|v| v as i64), now()],
            )
            .map_err(db_error)?;
        Ok(())
    }

    /// Marks the job's ending as reported. True only for the caller that flipped the flag, so
    /// two processes racing to report the same ending report it once.
    pub fn mark_notified(&self, job_id: &str) -> Result<bool> {
        let n = self
            .conn()
            .execute(
                "UPDATE tracked_jobs SET notified = 1, updated_at = ?2 WHERE job_id = ?1 AND notified = 0",
                params![job_id, now()],
            )
            .map_err(db_error)?;
        Ok(n > 0)
    }

    // ---- the upload queue ----

    fn upload_row(r: &Row<'_>) -> rusqlite::Result<UploadRecord> {
        Ok(UploadRecord {
            id: r.get(0)?,
            path: r.get(1)?,
            session_id: r.get(2)?,
            target: from_text(r.get(3)?)?,
            status: from_text(r.get(4)?)?,
            error: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
        })
    }

    pub fn enqueue_upload(&self, path: &Path, session_id: &str, target: UploadTarget) -> Result<i64> {
        let conn = self.conn();
        let t = now();
        conn.execute(
            "INSERT INTO upload_queue (path, session_id, target, status, error, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?5)",
            params![path.to_string_lossy(), session_id, to_text(&target), to_text(&UploadState::Queued), t],
        )
        .map_err(db_error)?;
        Ok(conn.last_insert_rowid())
    }

    pub fn set_upload_state(&self, id: i64, state: UploadState, error: Option<&str>) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE upload_queue SET status = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, to_text(&state), error, now()],
            )
            .map_err(db_error)?;
        Ok(())
    }

    /// Oldest first: the order they were queued in.
    pub fn uploads(&self) -> Result<Vec<UploadRecord>> {
        let conn = self.conn();
        let mut st = conn
            .prepare("SELECT id, path, session_id, target, status, error, created_at, updated_at FROM upload_queue ORDER BY id")
            .map_err(db_error)?;
        let rows = st.query_map([], Self::upload_row).map_err(db_error)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db_error)
    }

    /// Uploads still to do after a restart (queued, or cut off while uploading).
    pub fn unfinished_uploads(&self) -> Result<Vec<UploadRecord>> {
        Ok(self
            .uploads()?
            .into_iter()
            .filter(|u| matches!(u.status, UploadState::Queued | UploadState::Uploading))
            .collect())
    }

    pub fn remove_upload(&self, id: i64) -> Result<()> {
        self.conn().execute("DELETE FROM upload_queue WHERE id = ?1", [id]).map_err(db_error)?;
        Ok(())
    }

    // ---- export history ----

    pub fn record_export(&self, session_id: &str, format: ExportFormat, outcome: &ExportOutcome) -> Result<i64> {
        let (delivery, path, recipient) = match outcome {
            ExportOutcome::Saved { path, .. } => {
                (ExportDelivery::Saved, Some(path.to_string_lossy().into_owned()), None)
            }
            ExportOutcome::Emailed { recipient, .. } => (ExportDelivery::Emailed, None, Some(recipient.clone())),
        };
        let conn = self.conn();
        conn.execute(
            "INSERT INTO export_history (session_id, format, outcome, path, recipient, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![session_id, format.as_str(), to_text(&delivery), path, recipient, now()],
        )
        .map_err(db_error)?;
        Ok(conn.last_insert_rowid())
    }

    /// Newest first.
    pub fn exports(&self, limit: u32) -> Result<Vec<ExportRecord>> {
        let conn = self.conn();
        let mut st = conn
            .prepare("SELECT id, session_id, format, outcome, path, recipient, created_at FROM export_history ORDER BY id DESC LIMIT ?1")
            .map_err(db_error)?;
        let rows = st
            .query_map([limit as i64], |r| {
                Ok(ExportRecord {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    format: r.get(2)?,
                    delivery: from_text(r.get(3)?)?,
                    path: r.get(4)?,
                    recipient: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })
            .map_err(db_error)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db_error)
    }

    // ---- settings ----

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(db_error)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn()
            .execute("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", params![key, value])
            .map_err(db_error)?;
        Ok(())
    }

    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.conn().execute("DELETE FROM settings WHERE key = ?1", [key]).map_err(db_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
