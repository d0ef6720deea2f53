//! The app window opens, loads the bundled UI under the CSP, and the page reaches Rust over IPC.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

#[tokio::test]
async fn window_loads_the_bundled_ui_and_answers_ipc() {
    let app = support::DesktopApp::launch().await;
    // The version only appears after the page's first IPC call (`app_version`) has come back from Rust.
    let text = app.wait_for_text("main p", env!("CARGO_PKG_VERSION")).await;
    assert!(text.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))), "{text}");
    app.screenshot("shell").await;
    app.close().await;
}
