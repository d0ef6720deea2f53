//! Paths the page may name. The webview is not trusted with the file system: it may only refer to
//! files the user picked or dropped in this run, folders the user chose, and exports the app saved.
//! The host records those as they happen (picker answers, the native drop event, a finished export)
//! and checks every path a command receives here. Anything else is refused with a structured error,
//! so a compromised page cannot upload `~/.ssh/id_rsa`, write into `~/.config/autostart` or hand
//! `/usr/bin/xterm` to the system opener.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};

/// What the user handed to the app this run.
#[derive(Debug, Default)]
pub struct PathGrants {
    inner: Mutex<Granted>,
}

#[derive(Debug, Default)]
struct Granted {
    /// Dragged over the window, not (yet) dropped: the page may learn their name and size only.
    dragged: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
    folders: HashSet<PathBuf>,
    exports: HashSet<PathBuf>,
}

/// A path fit to compare: absolute, and without `.` or `..` (a path the pickers and the drop event
/// give always is). Anything else is never granted, so it is refused.
fn key(raw: impl AsRef<Path>) -> Option<PathBuf> {
    let p = raw.as_ref();
    let plain = p.is_absolute() && p.components().all(|c| !matches!(c, Component::CurDir | Component::ParentDir));
    // Collecting the components drops doubled and trailing separators.
    plain.then(|| p.components().collect())
}

fn not_granted(what: &str, path: &str) -> Error {
    let mut e = Error::local(
        ErrorKind::Forbidden,
        format!(
            "The app was not given this {what} in this window: {path}. {}",
            match what {
                "folder" => "Choose the folder again with “Choose…”.",
                "export" => "Only files this app exported can be opened from here.",
                _ => "Drop the file on the window or pick it with Open… again.",
            }
        ),
    );
    e.code = Some("path_not_granted".into());
    e
}

impl PathGrants {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Granted) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Files the user picked or dropped.
    pub fn grant_files<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) {
        let keys: Vec<PathBuf> = paths.into_iter().filter_map(key).collect();
        self.with(|g| g.files.extend(keys));
    }

    /// Files being dragged over the window: the drop overlay may say which it would refuse.
    pub fn grant_dragged<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) {
        let keys: Vec<PathBuf> = paths.into_iter().filter_map(key).collect();
        self.with(|g| g.dragged.extend(keys));
    }

    /// A folder the user chose (or the app's own default export folder).
    pub fn grant_folder(&self, path: impl AsRef<Path>) {
        if let Some(k) = key(path) {
            self.with(|g| g.folders.insert(k));
        }
    }

    /// A file the app saved (an export).
    pub fn grant_export(&self, path: impl AsRef<Path>) {
        if let Some(k) = key(path) {
            self.with(|g| g.exports.insert(k));
        }
    }

    /// A file to read (stat, upload): picked or dropped this run.
    pub fn file(&self, raw: &str) -> Result<PathBuf> {
        key(raw)
            .filter(|k| self.with(|g| g.files.contains(k)))
            .map(|_| PathBuf::from(raw))
            .ok_or_else(|| not_granted("file", raw))
    }

    /// A file to describe (name, size): picked, dropped, or being dragged over the window.
    pub fn describable(&self, raw: &str) -> Result<PathBuf> {
        let dragged = key(raw).is_some_and(|k| self.with(|g| g.dragged.contains(&k)));
        if dragged {
            Ok(PathBuf::from(raw))
        } else {
            self.file(raw)
        }
    }

    /// A folder to write an export into: one the user chose.
    pub fn folder(&self, raw: &str) -> Result<PathBuf> {
        key(raw)
            .filter(|k| self.with(|g| g.folders.contains(k)))
            .map(|_| PathBuf::from(raw))
            .ok_or_else(|| not_granted("folder", raw))
    }

    /// A file to open with the system's default app: only an export the app saved.
    pub fn export(&self, raw: &str) -> Result<PathBuf> {
        key(raw)
            .filter(|k| self.with(|g| g.exports.contains(k)))
            .map(|_| PathBuf::from(raw))
            .ok_or_else(|| not_granted("export", raw))
    }

    /// A file to show in the file manager: an export, or a file the user gave.
    pub fn revealable(&self, raw: &str) -> Result<PathBuf> {
        self.export(raw).or_else(|_| self.file(raw)).map_err(|_| not_granted("file", raw))
    }

    /// Is this folder granted? (Settings keep a download folder only when the user chose it.)
    pub fn has_folder(&self, raw: &str) -> bool {
        self.folder(raw).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(r: Result<PathBuf>) -> Error {
        let e = r.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert_eq!(e.code.as_deref(), Some("path_not_granted"));
        e
    }

    #[test]
    fn only_picked_or_dropped_files_are_read() {
        let g = PathGrants::new();
        g.grant_files(["/home/me/Documents/report.docx", "/home/me/Downloads/terms.pdf"]);
        assert_eq!(g.file("/home/me/Documents/report.docx").unwrap(), PathBuf::from("/home/me/Documents/report.docx"));
        assert!(g.file("/home/me//Documents/report.docx").is_ok(), "the same file, spelled with a doubled slash");
        let e = refused(g.file("/home/me/.ssh/id_rsa"));
        assert!(e.message.contains("/home/me/.ssh/id_rsa") && e.message.contains("Drop the file"), "{}", e.message);
        refused(g.file("/home/me/Documents/../.ssh/id_rsa"));
        refused(g.file("/home/me/Documents"));
        refused(g.file("report.docx"));
        refused(g.file(""));
    }

    #[test]
    fn a_file_only_dragged_over_is_described_but_not_read() {
        let g = PathGrants::new();
        g.grant_dragged(["/home/me/notes.md"]);
        assert!(g.describable("/home/me/notes.md").is_ok(), "the drop overlay may check it");
        refused(g.file("/home/me/notes.md"));
        refused(g.describable("/home/me/other.md"));
        g.grant_files(["/home/me/notes.md"]);
        assert!(g.file("/home/me/notes.md").is_ok(), "dropped: now it may be uploaded");
    }

    #[test]
    fn exports_go_only_into_chosen_folders() {
        let g = PathGrants::new();
        g.grant_folder("/home/me/Downloads/");
        assert!(g.folder("/home/me/Downloads").is_ok());
        refused(g.folder("/home/me/.config/autostart"));
        refused(g.folder("/home/me/Downloads/../.config/autostart"));
        refused(g.folder("/home/me/Downloads/sub"));
        assert!(!g.has_folder("/etc"));
        // A picked file is not a folder grant, and a folder grant is not a file grant.
        g.grant_files(["/home/me/x.pdf"]);
        refused(g.folder("/home/me/x.pdf"));
        refused(g.file("/home/me/Downloads"));
    }

    #[test]
    fn only_recorded_exports_open() {
        let g = PathGrants::new();
        g.grant_export("/home/me/Downloads/Q4 Report.pdf");
        g.grant_files(["/home/me/Documents/input.docx"]);
        assert!(g.export("/home/me/Downloads/Q4 Report.pdf").is_ok());
        let e = refused(g.export("/home/me/Downloads/Q4 Report (1).pdf"));
        assert!(e.message.contains("Only files this app exported"), "{}", e.message);
        refused(g.export("/usr/bin/xterm"));
        refused(g.export("smb://x"));
        refused(g.export("/home/me/Documents/input.docx"));
        // Revealing in the file manager also takes a file the user gave.
        assert!(g.revealable("/home/me/Documents/input.docx").is_ok());
        assert!(g.revealable("/home/me/Downloads/Q4 Report.pdf").is_ok());
        refused(g.revealable("/usr/bin/xterm"));
    }
}
