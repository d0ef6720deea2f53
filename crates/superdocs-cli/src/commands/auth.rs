//! `superdocs auth login | status | logout`.

use std::io::{IsTerminal, Read};

use serde_json::json;
use superdocs_client::{ApiKey, Error, Result};

use crate::cli::AuthCommand;
use crate::context::{Context, KEY_ENV};
use crate::{exit_code, output};

/// The key from stdin (piped) or a prompt without echo; never from the command line.
fn read_key() -> Result<ApiKey> {
    let raw = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("SuperDocs API key: ")
            .map_err(|e| Error::internal("Could not read the key.").with_detail(e.to_string()))?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::internal("Could not read the key from stdin.").with_detail(e.to_string()))?;
        s
    };
    ApiKey::parse(&raw)
}

pub async fn run(ctx: &Context, cmd: AuthCommand) -> Result<u8> {
    let creds = ctx.credentials()?;
    match cmd {
        AuthCommand::Login => {
            let key = read_key()?;
            let current = ctx.profile()?;
            let profile = creds.save_profile(&current.name, &current.base_url)?;
            creds.login(&profile, &key, &ctx.call).await?;
            let status = creds.status(&profile.name)?;
            output::emit(ctx.json(), &status, |s| {
                println!(
                    "Logged in: profile {} at {}, key {} in {}.",
                    s.profile,
                    s.base_url,
                    s.masked_key.as_deref().unwrap_or("?"),
                    s.backend_label
                )
            });
        }
        AuthCommand::Status => {
            let profile = ctx.profile()?;
            let backend = creds.keys().backend();
            // The environment wins over the keyring; with it set, an unusable keyring is only noted.
            let env_key = std::env::var(KEY_ENV).ok().and_then(|k| ApiKey::parse(&k).ok());
            let (stored, keyring_problem) = match creds.keys().key(&profile.name) {
                Ok(k) => (k, None),
                Err(e) if env_key.is_some() => (None, Some(e.message)),
                Err(e) => return Err(e),
            };
            let source = if env_key.is_some() {
                "environment"
            } else if stored.is_some() {
                "keyring"
            } else {
                "none"
            };
            let masked = env_key.as_ref().or(stored.as_ref()).map(|k| k.masked());
            let value = json!({
                "profile": profile.name,
                "base_url": profile.base_url,
                "masked_key": masked,
                "key_source": source,
                "backend": backend,
                "backend_label": backend.label(),
                "keyring_problem": keyring_problem,
            });
            output::emit(ctx.json(), &value, |_| {
                println!("profile:  {}", profile.name);
                println!("server:   {}", profile.base_url);
                match (source, &masked) {
                    ("environment", Some(m)) => println!("key:      {m} (from {KEY_ENV})"),
                    (_, Some(m)) => println!("key:      {m} (in {})", backend.label()),
                    _ => println!("key:      none (run `superdocs auth login`)"),
                }
                match &keyring_problem {
                    Some(p) => println!("keyring:  {} (unavailable: {p})", backend.label()),
                    None => println!("keyring:  {}", backend.label()),
                }
            });
            if source == "none" {
                return Ok(exit_code::AUTH);
            }
        }
        AuthCommand::Logout => {
            let removed = creds.logout(&ctx.global.profile)?;
            output::emit(ctx.json(), &json!({ "profile": ctx.global.profile, "removed": removed }), |_| {
                if removed {
                    println!("Removed the key of profile {} from the keyring.", ctx.global.profile)
                } else {
                    println!("Profile {} had no stored key.", ctx.global.profile)
                }
            });
        }
    }
    Ok(exit_code::OK)
}
