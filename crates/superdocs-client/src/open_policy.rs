//! What may leave the app or replace its page: the window's navigation guard (only the app's own
//! origin, and the dev server in dev builds) and the one vetted opener for links (https, and mailto
//! reduced to its addresses, subject and body). Host-agnostic so it is tested without a window.

use url::Url;

use crate::error::{Error, ErrorKind, Result};

/// The origins the app's own page is served from by the webview hosts: `tauri://localhost`
/// (Linux, macOS) and `http(s)://tauri.localhost` (Windows, Android).
pub fn is_app_origin(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        _ => false,
    }
}

/// May the main window navigate to `url`? Its own origin, and the dev server's origin when the app runs
/// from it (`dev_url` is given only in dev builds). Anything else, e.g. a document's link or a script's
/// `location.href = …`, would replace the app with a page that looks like it.
pub fn may_navigate(url: &Url, dev_url: Option<&Url>) -> bool {
    is_app_origin(url) || dev_url.is_some_and(|dev| dev.origin() == url.origin())
}

fn refused(why: &str) -> Error {
    Error::local(
        ErrorKind::Validation,
        format!("This link cannot be opened: {why}. Only web (https) and e-mail (mailto) links open."),
    )
}

/// The one check before a link goes to the system opener: `https://` with a host, or `mailto:` with
/// only `subject` and `body` kept (an `attach=`, `cc` or `bcc` from a document never reaches the
/// mail app). Returns the link to open.
pub fn external_link(raw: &str) -> Result<String> {
    let url = Url::parse(raw.trim()).map_err(|_| refused("it is not a valid address"))?;
    match url.scheme() {
        "https"
            if url.host_str().is_some_and(|h| !h.is_empty())
                && url.username().is_empty()
                && url.password().is_none() =>
        {
            Ok(url.to_string())
        }
        "https" => Err(refused("it has no host or carries a user name")),
        "mailto" => Ok(mailto(&url)),
        other => Err(refused(&format!("{other}: links are not opened"))),
    }
}

/// `mailto:` rebuilt from its addresses and its first `subject` and `body`.
fn mailto(url: &Url) -> String {
    let mut kept = url::form_urlencoded::Serializer::new(String::new());
    let mut seen = Vec::new();
    for (k, v) in url.query_pairs() {
        let k = k.to_ascii_lowercase();
        if (k == "subject" || k == "body") && !seen.contains(&k) {
            kept.append_pair(&k, &v);
            seen.push(k);
        }
    }
    // form encoding writes a space as '+', which mail clients show literally.
    let query = kept.finish().replace('+', "%20");
    let to = url.path();
    if query.is_empty() {
        format!("mailto:{to}")
    } else {
        format!("mailto:{to}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_window_stays_on_the_apps_origin() {
        for ok in [
            "tauri://localhost/",
            "tauri://localhost/index.html#x",
            "http://tauri.localhost/",
            "https://tauri.localhost/assets/a.js",
        ] {
            assert!(may_navigate(&u(ok), None), "{ok}");
        }
        for bad in [
            "https://example.invalid/",
            "https://evil.example/session-expired",
            "http://localhost:5173/",
            "tauri://evil/",
            "http://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "data:text/html,<h1>x</h1>",
            "file:///etc/passwd",
            "about:blank",
            "javascript:alert(1)",
        ] {
            assert!(!may_navigate(&u(bad), None), "{bad}");
        }
    }

    #[test]
    fn the_dev_server_only_when_given() {
        let dev = u("http://localhost:5173");
        assert!(may_navigate(&u("http://localhost:5173/src/main.ts"), Some(&dev)));
        assert!(!may_navigate(&u("http://localhost:5174/"), Some(&dev)));
        assert!(!may_navigate(&u("https://example.invalid/"), Some(&dev)));
    }

    #[test]
    fn only_https_and_mailto_links_open() {
        assert_eq!(external_link("https://superdocs.app/pricing").unwrap(), "https://superdocs.app/pricing");
        assert_eq!(external_link("HTTPS://Example.com/a?b=c").unwrap(), "https://example.com/a?b=c");
        for bad in [
            "smb://x",
            "smb://fileserver/share/payload.exe",
            "http://example.com/",
            "file:///etc/passwd",
            "/usr/bin/xterm",
            "javascript:alert(1)",
            "superdocs://x",
            "ms-msdt:/id PCWDiagnostic",
            "https://user:pw@example.com/",
            "",
        ] {
            let e = external_link(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{bad}");
        }
    }

    #[test]
    fn mailto_keeps_only_subject_and_body() {
        assert_eq!(external_link("mailto:support@superdocs.app").unwrap(), "mailto:support@superdocs.app");
        assert_eq!(
            external_link("mailto:a@b.test?subject=Hi%20there&attach=/etc/passwd&cc=x@evil.test&bcc=y@evil.test&body=Line%201%0ALine%202").unwrap(),
            "mailto:a@b.test?subject=Hi%20there&body=Line%201%0ALine%202"
        );
        assert_eq!(external_link("mailto:?attach=~/.ssh/id_rsa").unwrap(), "mailto:");
        assert_eq!(
            external_link("mailto:a@b.test?Subject=one&subject=two&ATTACHMENT=x").unwrap(),
            "mailto:a@b.test?subject=one"
        );
    }
}
