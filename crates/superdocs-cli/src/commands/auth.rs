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
        rpassword::prompt_password("SuperDocs API key: ").map_err(|e| Error::internal("Could not read the key.").with_detail(e.to_string()))?
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| Error::internal("Could not read the key from stdin.").with_detail(e.to_string()))?;
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
                println!("Logged in: profile {} at {}, key {} in {}.", s.profile, s.base_url, s.masked_key.as_deref().unwrap_or("?"), s.backend_label)
            });
        }
        AuthCommand::Status => {
            let mut status = creds.status(&ctx.global.profile)?;
            if let Some(url) = &ctx.global.base_url {
                status.base_url = url.clone();
            }
            // The environment wins over the keyring; say so.
            let env_key = std::env::var(KEY_ENV).ok().and_then(|k| ApiKey::parse(&k).ok());
            let source = if env_key.is_some() { "environment" } else if status.masked_key.is_some() { "keyring" } else { "none" };
            let value = json!({
                "profile": status.profile,
                "base_url": status.base_url,
                "masked_key": env_key.as_ref().map(|k| k.masked()).or(status.masked_key.clone()),
                "key_source": source,
                "backend": status.backend,
                "backend_label": status.backend_label,
            });
            output::emit(ctx.json(), &value, |_| {
                println!("profile:  {}", status.profile);
                println!("server:   {}", status.base_url);
                match (&env_key, &status.masked_key) {
                    (Some(k), _) => println!("key:      {} (from {KEY_ENV})", k.masked()),
                    (None, Some(m)) => println!("key:      {m} (in {})", status.backend_label),
                    (None, None) => println!("key:      none (run `superdocs auth login`)"),
                }
                println!("keyring:  {}", status.backend_label);
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
