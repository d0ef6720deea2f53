//! What a host shows before anything is sent, from the same rules the core applies when it sends: which
//! files each upload target takes and why a file would be refused (`upload::plan_upload`), and the longest
//! message (`api::PROMPT_LIMIT_CHARS`). A window reads these instead of keeping copies of them.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::PROMPT_LIMIT_CHARS;
use crate::error::{Error, ErrorKind, Result};
use crate::store::UploadTarget;
use crate::upload::{plan_upload, UploadLimits};

/// The limits a window names: the formats of each target, the largest file, the longest message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InputRules {
    pub document_extensions: Vec<String>,
    pub attachment_extensions: Vec<String>,
    #[ts(type = "number")]
    pub max_file_bytes: u64,
    /// In characters (Unicode code points), as the service counts them.
    pub prompt_limit_chars: u32,
}

impl InputRules {
    pub fn current() -> Self {
        let exts = |t: UploadTarget| t.kind().extensions().into_iter().map(String::from).collect();
        InputRules {
            document_extensions: exts(UploadTarget::Document),
            attachment_extensions: exts(UploadTarget::Attachment),
            max_file_bytes: UploadLimits::default().presigned_cap_bytes,
            prompt_limit_chars: PROMPT_LIMIT_CHARS,
        }
    }
}

/// Why a file would be refused as each kind of upload (null: it would be sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Refusals {
    pub document: Option<Error>,
    pub attachment: Option<Error>,
}

/// A dropped or picked path as a window shows it before anything is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FileInfo {
    pub path: String,
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub is_dir: bool,
    pub refused: Refusals,
}

/// Describes `path` and checks it as the upload queue will.
pub fn describe(path: &str) -> Result<FileInfo> {
    let p = Path::new(path);
    let meta = std::fs::metadata(p).map_err(|e| {
        Error::local(ErrorKind::Validation, format!("Could not read {path}: {e}.")).with_detail(e.to_string())
    })?;
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string());
    let limits = UploadLimits::default();
    let refused = |kind| plan_upload(p, kind, &limits).err();
    Ok(FileInfo {
        path: path.to_string(),
        name,
        size: meta.len(),
        is_dir: meta.is_dir(),
        refused: Refusals {
            document: refused(UploadTarget::Document.kind()),
            attachment: refused(UploadTarget::Attachment.kind()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_checked_for_each_target_as_the_queue_checks_it() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p.to_string_lossy().into_owned()
        };
        let logo = describe(&write("logo.png", b"png")).unwrap();
        assert_eq!(logo.refused.document.as_ref().map(|e| e.kind), Some(ErrorKind::UnsupportedFile));
        assert_eq!(logo.refused.attachment, None);
        let old = describe(&write("old.doc", b"doc")).unwrap();
        assert!(old.refused.attachment.as_ref().is_some_and(|e| e.message.contains(".docx")));
        let empty = describe(&write("empty.txt", b"")).unwrap();
        assert_eq!(empty.refused.document.map(|e| e.kind), Some(ErrorKind::Validation));
        let folder = describe(&dir.path().join(".").to_string_lossy()).unwrap();
        assert!(folder.is_dir);
        assert!(folder.refused.document.is_some_and(|e| e.message.contains("folder")), "a folder is named as one");
        assert!(describe(&dir.path().join("missing.pdf").to_string_lossy()).is_err());
    }

    #[test]
    fn the_rules_name_what_plan_upload_takes() {
        let r = InputRules::current();
        assert!(r.document_extensions.contains(&"docx".to_string()));
        assert!(!r.document_extensions.contains(&"png".to_string()));
        assert!(r.attachment_extensions.contains(&"png".to_string()));
        assert_eq!(r.max_file_bytes, 104_857_600);
        assert_eq!(r.prompt_limit_chars, 100_000);
    }
}
