//! The shell's own words (the menu bar, notifications, the native dialogs' titles) in the window's
//! language, from the same catalogs as the page's: `ui/src/locales/<lang>/native.json`. One place to
//! translate, and `ui/tests/unit/i18n.test.ts` checks every language has English's keys.

use std::sync::{OnceLock, RwLock};

use serde_json::Value;

/// Each language's catalog, English first: the fallback for a missing message.
const CATALOGS: [(&str, &str); 2] = [
    ("en", include_str!("../ui/src/locales/en/native.json")),
    ("de", include_str!("../ui/src/locales/de/native.json")),
];

static LANGUAGE: RwLock<&str> = RwLock::new("en");

fn parsed() -> &'static [(&'static str, Value)] {
    static PARSED: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        // Bundled at build time and checked by the tests below: a parse failure is a build mistake.
        CATALOGS.iter().map(|(lang, json)| (*lang, serde_json::from_str(json).unwrap_or(Value::Null))).collect()
    })
}

/// The catalog for a BCP 47 tag or POSIX locale ("de-AT", "de_DE.UTF-8"), as the page's `supported`.
pub fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_', '.', '@']).next()?.to_ascii_lowercase();
    CATALOGS.iter().map(|(lang, _)| *lang).find(|lang| *lang == primary)
}

/// The language the page will be in: the one Settings names, else the OS's, else English.
pub fn choose(chosen: Option<&str>) -> &'static str {
    let lang =
        chosen.and_then(supported).or_else(|| sys_locale::get_locale().as_deref().and_then(supported)).unwrap_or("en");
    *LANGUAGE.write().unwrap_or_else(|p| p.into_inner()) = lang;
    lang
}

/// The message at `key` ("menu.file") in the chosen language (English where it has none; the key itself
/// if English has none either).
pub fn tr(key: &str) -> String {
    let lang = *LANGUAGE.read().unwrap_or_else(|p| p.into_inner());
    message(lang, key).or_else(|| message("en", key)).unwrap_or(key).to_string()
}

fn message(lang: &str, key: &str) -> Option<&'static str> {
    let (_, catalog) = parsed().iter().find(|(l, _)| *l == lang)?;
    key.split('.').try_fold(catalog, |node, part| node.get(part))?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `tr("…")` key in the shell's sources.
    fn keys_used() -> Vec<String> {
        let sources = [
            include_str!("menu.rs"),
            include_str!("notifications.rs"),
            include_str!("commands/files.rs"),
            include_str!("commands/settings.rs"),
        ];
        let mut keys = Vec::new();
        for source in sources {
            let mut rest = source;
            while let Some(at) = rest.find("tr(\"") {
                // `tr(` itself, not the end of `push_str(`.
                let call = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                rest = &rest[at + 4..];
                if call {
                    keys.push(rest.split('"').next().unwrap_or_default().to_string());
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_the_shell_uses_has_a_message_in_every_language() {
        let keys = keys_used();
        assert!(keys.len() > 20, "the shell's words are read through tr: {keys:?}");
        for (lang, _) in CATALOGS {
            let missing: Vec<_> = keys.iter().filter(|k| message(lang, k).is_none()).collect();
            assert!(missing.is_empty(), "{lang} has no message for {missing:?}");
        }
    }

    #[test]
    fn the_language_follows_settings_then_the_os() {
        assert_eq!(supported("de_DE.UTF-8"), Some("de"));
        assert_eq!(supported("DE-at"), Some("de"));
        assert_eq!(supported("fr-FR"), None);
        assert_eq!(supported(""), None);
        assert_eq!(choose(Some("de")), "de");
        assert_eq!(tr("menu.file"), "Datei");
        assert_eq!(choose(Some("en")), "en");
        assert_eq!(tr("menu.file"), "File");
        assert_eq!(tr("no.such.key"), "no.such.key");
    }
}
