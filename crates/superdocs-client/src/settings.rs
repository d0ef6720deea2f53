//! The app's settings, kept in the shared store as one JSON value (the CLI reads none of them yet).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::network::Network;
use crate::store::Store;
use crate::types::{ModelTier, ThinkingDepth};

const SETTINGS_KEY: &str = "app_settings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotifyWhen {
    Off,
    Unfocused,
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    System,
    Light,
    Dark,
}

/// When the app looks for a new version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UpdateCheck {
    /// At every start.
    #[default]
    Automatic,
    /// Only from Settings → Check now.
    Manual,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppSettings {
    pub default_model_tier: ModelTier,
    pub default_thinking_depth: ThinkingDepth,
    pub review_by_default: bool,
    pub notifications: NotifyWhen,
    pub download_folder: String,
    pub theme: Theme,
    /// Settings saved before updates existed have none: automatic.
    #[serde(default)]
    pub update_check: UpdateCheck,
    /// Proxy and extra certificate authorities for the service's profiles (the demo is always direct).
    #[serde(default)]
    pub network: Network,
    /// Debug-level lines in the log file, for a support case.
    #[serde(default)]
    pub debug_logging: bool,
    /// The pane widths the user left (null until they move a divider).
    #[serde(default)]
    pub panes: Option<PaneWidths>,
    /// The window's language as a BCP 47 tag ("de"), or null to follow the OS.
    #[serde(default)]
    pub language: Option<String>,
}

/// The sessions and chat panes' widths in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaneWidths {
    pub sidebar: u32,
    pub chat: u32,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            default_model_tier: ModelTier::Core,
            default_thinking_depth: ThinkingDepth::Balanced,
            review_by_default: false,
            notifications: NotifyWhen::Unfocused,
            download_folder: String::new(),
            theme: Theme::System,
            update_check: UpdateCheck::Automatic,
            network: Network::default(),
            debug_logging: false,
            panes: None,
            language: None,
        }
    }
}

/// The stored settings, or the defaults (also when the stored value cannot be read).
pub fn load(store: &Store) -> AppSettings {
    store.setting(SETTINGS_KEY).ok().flatten().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// Saves the settings; an empty export folder or a bad proxy is refused (the host checks the folder and a
/// certificate file are ones the user chose).
pub fn save(store: &Store, settings: &AppSettings) -> Result<()> {
    if settings.download_folder.trim().is_empty() {
        return Err(Error::local(ErrorKind::Validation, "Choose a folder for exported files."));
    }
    settings.network.validate()?;
    if let Some(tag) = &settings.language {
        let tag_like = !tag.is_empty() && tag.len() <= 35 && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !tag_like {
            return Err(Error::local(ErrorKind::Validation, "Choose a language from the list."));
        }
    }
    let json = serde_json::to_string(settings)
        .map_err(|e| Error::internal("The settings could not be saved.").with_detail(e.to_string()))?;
    store.set_setting(SETTINGS_KEY, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_unreadable_ones_fall_back_to_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(load(&store), AppSettings::default());
        let chosen = AppSettings { download_folder: "/tmp/out".into(), theme: Theme::Dark, ..AppSettings::default() };
        save(&store, &chosen).unwrap();
        assert_eq!(load(&store), chosen);
        assert_eq!(save(&store, &AppSettings::default()).unwrap_err().kind, ErrorKind::Validation);
        let german = AppSettings { language: Some("de".into()), ..chosen.clone() };
        save(&store, &german).unwrap();
        assert_eq!(load(&store).language.as_deref(), Some("de"));
        let odd = AppSettings { language: Some("<script>".into()), ..chosen.clone() };
        assert_eq!(save(&store, &odd).unwrap_err().kind, ErrorKind::Validation);
        save(&store, &chosen).unwrap();
        store.set_setting(SETTINGS_KEY, "{not json").unwrap();
        assert_eq!(load(&store), AppSettings::default());
    }
}
