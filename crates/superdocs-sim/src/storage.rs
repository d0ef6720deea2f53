//! Files the sim keeps (uploads, rendered exports) in a directory it owns, written as they stream in.
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

use crate::ids;

pub struct Storage {
    dir: PathBuf,
    // Keeps the temp dir alive (and removes it on drop) when the sim chose it.
    _temp: Option<tempfile::TempDir>,
}

#[derive(Debug, Clone)]
pub struct StoredFile {
    pub path: PathBuf,
    pub size: u64,
}

#[derive(Debug)]
pub enum WriteError {
    /// More than the cap arrived; the partial file is removed.
    TooLarge,
    /// The body could not be read (client gone, transport cap hit).
    Body(String),
    Io(std::io::Error),
}

impl Storage {
    pub fn new(dir: Option<&Path>) -> std::io::Result<Self> {
        match dir {
            Some(d) => {
                std::fs::create_dir_all(d)?;
                Ok(Self { dir: d.to_path_buf(), _temp: None })
            }
            None => {
                let temp = tempfile::Builder::new().prefix("superdocs-sim-").tempdir()?;
                Ok(Self { dir: temp.path().to_path_buf(), _temp: Some(temp) })
            }
        }
    }

    pub fn new_path(&self, prefix: &str) -> PathBuf {
        self.dir.join(ids::new_id(prefix))
    }

    /// Streams a body to a new file, counting bytes and refusing more than `cap`.
    pub async fn write_stream<S, E>(&self, prefix: &str, mut body: S, cap: u64) -> Result<StoredFile, WriteError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = self.new_path(prefix);
        let file = tokio::fs::File::create(&path).await.map_err(WriteError::Io)?;
        let mut out = tokio::io::BufWriter::with_capacity(256 * 1024, file);
        let mut size = 0u64;
        let result = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| WriteError::Body(e.to_string()))?;
                size += chunk.len() as u64;
                if size > cap {
                    return Err(WriteError::TooLarge);
                }
                out.write_all(&chunk).await.map_err(WriteError::Io)?;
            }
            out.flush().await.map_err(WriteError::Io)
        }
        .await;
        match result {
            Ok(()) => Ok(StoredFile { path, size }),
            Err(e) => {
                drop(out);
                let _ = tokio::fs::remove_file(&path).await;
                Err(e)
            }
        }
    }

    pub async fn write_bytes(&self, prefix: &str, bytes: &[u8]) -> std::io::Result<StoredFile> {
        let path = self.new_path(prefix);
        tokio::fs::write(&path, bytes).await?;
        Ok(StoredFile { path, size: bytes.len() as u64 })
    }
}
