//! The one data-folder layout the app and the CLI share (docs/data-layout.md):
//!
//! ```text
//! <root>/superdocs.db                  profiles, settings, usage per profile, export history
//! <root>/jobs/profile-<name>/superdocs.db   that profile's tracked jobs and upload queue
//! <root>/demo/superdocs.db             the offline demo's jobs (emptied at each start)
//! <root>/outgoing/                     texts saved for "Add as document" until sent
//! ```
//!
//! `<root>` is `SUPERDOCS_DATA_DIR` when set, else the platform's data folder (`dirs::data_dir`) joined with
//! the app's identifier: what Tauri's `app_data_dir` gives, so both hosts open the same files.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::local_files;
use crate::store::Store;

/// Overrides the data folder (tests, portable installs); both hosts read it.
pub const DATA_DIR_ENV: &str = "SUPERDOCS_DATA_DIR";
/// The app's identifier (tauri.conf.json), also the keyring service: the data folder's name.
pub const APP_ID: &str = "app.superdocs.desktop";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataLayout {
    root: PathBuf,
}

impl DataLayout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataLayout { root: root.into() }
    }

    /// `SUPERDOCS_DATA_DIR`, else `<platform data folder>/app.superdocs.desktop`.
    pub fn locate() -> Self {
        match std::env::var_os(DATA_DIR_ENV) {
            Some(d) if !d.is_empty() => DataLayout::new(d),
            _ => DataLayout::new(dirs::data_dir().unwrap_or_else(std::env::temp_dir).join(APP_ID)),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where a profile's tracked jobs and upload queue live. Each profile has its own: a tracker resumes
    /// every job in its store with its own key, and another account's jobs would only come back as "not found".
    pub fn profile_dir(&self, profile: &str) -> PathBuf {
        // The prefix keeps names like "." or ".." (valid profile names) a plain folder name.
        self.root.join("jobs").join(format!("profile-{profile}"))
    }

    pub fn demo_dir(&self) -> PathBuf {
        self.root.join("demo")
    }

    /// Where texts wait until they are sent (private to the user, like the rest of the data folder).
    pub fn outgoing_dir(&self) -> PathBuf {
        self.root.join("outgoing")
    }

    /// The shared store: profiles, settings, usage, export history. The folder is made private (0700).
    pub fn open_root(&self) -> Result<Store> {
        local_files::create_private_dir(&self.root)?;
        Store::open(&self.root)
    }

    /// A profile's own store (jobs and upload queue).
    pub fn open_profile(&self, profile: &str) -> Result<Store> {
        local_files::create_private_dir(&self.root)?;
        let dir = self.profile_dir(profile);
        std::fs::create_dir_all(&dir).map_err(|e| {
            Error::internal("The profile's job folder could not be created.").with_detail(e.to_string())
        })?;
        Store::open(&dir)
    }

    /// The demo's store, emptied: the simulator behind it starts afresh each run.
    pub fn open_fresh_demo(&self) -> Result<Store> {
        let dir = self.demo_dir();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::internal("The demo's folder could not be created.").with_detail(e.to_string()))?;
        Store::open(&dir)
    }

    /// Removes a profile's own folder (its jobs and queue), when the profile is deleted.
    pub fn remove_profile(&self, profile: &str) {
        if let Err(e) = std::fs::remove_dir_all(self.profile_dir(profile)) {
            tracing::debug!(error = %e, "no job folder to remove");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_profile_tracks_its_jobs_in_a_folder_of_its_own_inside_the_data_folder() {
        let layout = DataLayout::new("/data");
        assert_ne!(layout.profile_dir("Work"), layout.profile_dir("Personal"));
        for name in ["Work", ".", "..", "a.b-c_d"] {
            let dir = layout.profile_dir(name);
            assert_eq!(dir.parent(), Some(Path::new("/data/jobs")), "{name} stays inside: {dir:?}");
            assert!(
                dir.components().all(|c| !matches!(c, std::path::Component::ParentDir | std::path::Component::CurDir)),
                "{dir:?}"
            );
        }
    }
}
