//! The webview boundary in the real window (issue #12): a hostile document cannot take the window
//! anywhere, neither by a click (sanitiser) nor by script (the shell's navigation guard), and the
//! shell's commands refuse what the user never handed over, whatever the page asks.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::Duration;

use serde_json::{json, Value};
use superdocs_sim::SimConfig;
use support::{connected_app, DesktopApp};

/// A 1×1 PNG, stretched over the image map's area.
const PIXEL: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

async fn url(app: &DesktopApp) -> String {
    app.client.current_url().await.expect("current url").to_string()
}

/// Calls a shell command from the page, as a compromised page could; the answer or the error.
async fn invoke(app: &DesktopApp, cmd: &str, args: Value) -> Result<Value, Value> {
    let js = r#"
        const [cmd, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err }));
    "#;
    let v = app.client.execute_async(js, vec![json!(cmd), args]).await.expect("execute");
    match v.get("err") {
        Some(e) => Err(e.clone()),
        None => Ok(v.get("ok").cloned().unwrap_or(Value::Null)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_that_links_the_whole_image_cannot_take_the_window_anywhere() {
    let files = tempfile::tempdir().expect("files");
    let doc = files.path().join("Hostile invoice.html");
    let html = format!(
        r##"<html><body><h1>Hostile invoice</h1>
        <p>Click the image to pay.</p>
        <p><img src="{PIXEL}" usemap="#pay" width="600" height="240" alt="pay here"></p>
        <map name="pay"><area shape="default" href="https://example.invalid/session-expired"></map>
        </body></html>"##
    );
    std::fs::write(&doc, html).expect("write");
    let (sim, home, app) = connected_app(SimConfig::default()).await;
    app.drop_files(&[&doc], "[data-testid=drop-document]").await;
    app.wait_for_text("[data-testid=document]", "Click the image to pay").await;
    let start = url(&app).await;
    assert!(start.starts_with("tauri://localhost"), "the app's own page: {start}");

    // The click: the sanitiser left no <map>/<area>, so the image is just an image.
    assert_eq!(
        app.count("[data-testid=document] map, [data-testid=document] area, [data-testid=document] [usemap]").await,
        0
    );
    app.click("[data-testid=document] img").await;
    app.find("[data-testid=sidebar]").await;
    assert_eq!(url(&app).await, start, "the click left the window where it was");

    // A script that got into the page anyway (here: WebDriver's): the shell's guard refuses to leave the
    // app's origin, even for a page that would load (the simulator's own /health on loopback).
    let away = format!("{}/health", sim.base_url());
    app.client.execute("location.href = arguments[0]; return null", vec![json!(away)]).await.expect("execute");
    app.wait_until("the guard to refuse the navigation", Duration::from_secs(10), || async {
        std::fs::read_to_string(home.log()).unwrap_or_default().contains("navigation away from the app refused")
    })
    .await;
    let opened = app
        .client
        .execute("return window.open(arguments[0]) === null", vec![json!("https://example.invalid/")])
        .await
        .expect("window.open");
    assert_eq!(opened, json!(true), "no new window");
    app.client.execute("location.href = 'https://example.invalid/'; return null", vec![]).await.expect("execute");
    app.find("[data-testid=sidebar]").await;
    assert_eq!(url(&app).await, start, "the window stays on the app's page");
    app.wait_for_text("[data-testid=document]", "Click the image to pay").await;
    assert_eq!(app.client.windows().await.expect("windows").len(), 1, "one window");
    app.screenshot("security-hostile-document").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_refuses_paths_and_links_the_user_never_gave() {
    let (sim, home, app) = connected_app(SimConfig::default()).await;
    sim.reset_stats();
    let forbidden = |r: Result<Value, Value>, what: &str| {
        let e = r.expect_err(what);
        assert_eq!(e["kind"], "forbidden", "{what}: {e}");
        assert_eq!(e["code"], "path_not_granted", "{what}: {e}");
    };
    let secret = home.path().join("data").join("secret.txt");
    std::fs::write(&secret, "not yours").expect("write");
    let secret = secret.display().to_string();
    forbidden(invoke(&app, "stat_paths", json!({ "paths": [secret] })).await, "stat_paths of an unpicked file");
    forbidden(invoke(&app, "open_path", json!({ "path": "/usr/bin/xterm" })).await, "open_path of a program");
    forbidden(
        invoke(&app, "show_in_folder", json!({ "path": "/etc/passwd" })).await,
        "show_in_folder of an unpicked file",
    );
    let e = invoke(&app, "open_url", json!({ "url": "smb://x" })).await.expect_err("open_url smb:");
    assert_eq!(e["kind"], "validation", "{e}");

    // An upload of an unpicked file comes back refused, and nothing is sent.
    let queued = app
        .client
        .execute_async(
            r#"const [path, done] = arguments;
               window.__TAURI_INTERNALS__.invoke("queue_uploads", { paths: [path], sessionId: "s1", mode: "document", onEvent: "__CHANNEL__:0" })
                 .then((ok) => done({ ok }), (err) => done({ err }));"#,
            vec![json!(secret)],
        )
        .await
        .expect("queue_uploads");
    let refused = &queued["ok"][0]["refused"];
    assert_eq!(refused["code"], "path_not_granted", "{queued}");

    // An export into a folder the user never chose.
    let export = json!({ "args": { "session_id": "s1", "format": "txt", "options": {}, "filename": "x", "folder": "/tmp", "email": false }, "opId": "op1", "onProgress": "__CHANNEL__:1" });
    forbidden(invoke(&app, "export_document", export).await, "export into an unchosen folder");
    // Nor may the page make such a folder the default export folder through the settings.
    let mut settings = invoke(&app, "get_settings", json!({})).await.expect("settings");
    settings["download_folder"] = json!(home.path().join("config/autostart").display().to_string());
    forbidden(
        invoke(&app, "save_settings", json!({ "settings": settings })).await,
        "settings naming an unchosen folder",
    );
    assert_eq!(sim.stats().count("POST", "/v1/*"), 0, "nothing reached the service");

    // Text sent as a document: the shell names the file (the page asked for a .desktop launcher), keeps
    // it private, and removes it once the service has it.
    let args = json!({ "sessionId": "s-text", "text": "[Desktop Entry]\nExec=xterm", "filename": "run.desktop", "mode": "document", "onEvent": "__CHANNEL__:2" });
    let queued = invoke(&app, "upload_text", args).await.expect("upload_text");
    let path = std::path::PathBuf::from(queued["path"].as_str().expect("path"));
    assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("Pasted text.txt"), "{queued}");
    assert_eq!(path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()), Some("outgoing"));
    app.wait_until("the sent text's file to be removed", Duration::from_secs(20), || async { !path.exists() }).await;
    assert_eq!(sim.stats().count("POST", "/v1/documents/upload"), 1, "the text was sent");
    let data = path.parent().and_then(|p| p.parent()).expect("data folder");
    for dir in [data, path.parent().unwrap()] {
        let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(dir).expect("meta").permissions());
        assert_eq!(mode & 0o777, 0o700, "{} is the user's alone", dir.display());
    }
    app.close().await;
}
