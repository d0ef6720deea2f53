//! "Open with SuperDocs": files named on the command line (a file manager's Open with, a double-click on
//! an associated type) or handed over by a second launch become new sessions' documents, through the
//! page's own upload path (the same one a drop takes). A `superdocs://session/<id>` link opens that
//! session. What arrives before the page listens waits here until it asks (`take_opened`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use superdocs_client::api::seg;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

use crate::state::{lock, AppState};

const SCHEME: &str = "superdocs://";

/// What a launch asked the window to open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Opened {
    /// Files, absolute, already granted to the page as given by the user.
    pub files: Vec<String>,
    /// A session named by a `superdocs://session/<id>` link.
    pub session_id: Option<String>,
}

/// Launch requests not yet taken by the page.
#[derive(Default)]
pub struct Pending(Mutex<Opened>);

/// Reads a launch's arguments (the program name first, as `std::env::args`); `cwd` resolves relative
/// paths. Flags and anything that is not an existing file or a valid link are ignored (logged).
pub fn parse(args: &[String], cwd: &Path) -> Opened {
    let mut opened = Opened::default();
    for arg in args.iter().skip(1) {
        if let Some(rest) = arg.strip_prefix(SCHEME) {
            match rest.trim_end_matches('/').strip_prefix("session/").map(|id| (id, seg(id))) {
                Some((id, Ok(_))) => opened.session_id = Some(id.to_string()),
                _ => tracing::warn!("a superdocs:// link that names no session was ignored"),
            }
            continue;
        }
        if arg.starts_with('-') {
            continue;
        }
        let path = cwd.join(arg);
        if path.is_file() {
            let path = path.canonicalize().unwrap_or(path);
            opened.files.push(path.to_string_lossy().into_owned());
        } else {
            tracing::warn!("a launch argument is not a file and was ignored");
        }
    }
    opened
}

/// Queues what a launch asked for and tells the page (which may not be listening yet).
pub fn request(app: &AppHandle, args: &[String], cwd: &Path) {
    let opened = parse(args, cwd);
    if opened == Opened::default() {
        return;
    }
    if let Some(state) = app.try_state::<AppState>() {
        state.grants.grant_files(opened.files.iter().map(PathBuf::from));
    }
    let pending = app.state::<Pending>();
    {
        let mut p = lock(&pending.0);
        p.files.extend(opened.files);
        if opened.session_id.is_some() {
            p.session_id = opened.session_id;
        }
    }
    let _ = app.emit("opened", ());
}

/// What launches asked for since the last call (the page calls it at start and on each `opened` event).
pub fn take(app: &AppHandle) -> Opened {
    std::mem::take(&mut *lock(&app.state::<Pending>().0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        std::iter::once("superdocs-desktop").chain(a.iter().copied()).map(String::from).collect()
    }

    #[test]
    fn files_relative_to_the_launch_folder_and_links_to_sessions_are_taken_the_rest_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Report.docx"), b"x").unwrap();
        let opened = parse(
            &args(&["--flag", "Report.docx", "missing.pdf", "superdocs://session/s_42", dir.path().to_str().unwrap()]),
            dir.path(),
        );
        let expected = dir.path().join("Report.docx").canonicalize().unwrap();
        assert_eq!(opened.files, vec![expected.to_string_lossy().into_owned()]);
        assert_eq!(opened.session_id.as_deref(), Some("s_42"));
    }

    #[test]
    fn a_link_that_escapes_its_path_or_names_nothing_opens_nothing() {
        let cwd = std::env::temp_dir();
        for link in ["superdocs://session/..", "superdocs://session/", "superdocs://session/a/b", "superdocs://x"] {
            assert_eq!(parse(&args(&[link]), &cwd).session_id, None, "{link}");
        }
    }
}
