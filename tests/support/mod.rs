//! Drives the real app binary the way a user meets it: its own window under Xvfb, its WebKit page driven
//! through tauri-driver (WebDriver), inside the D-Bus session that `scripts/desktop-session.sh` provides.
#![allow(dead_code)] // each test file uses a different part of the harness

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// tauri-driver listens on fixed ports, so only one app may be driven at a time in a process.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

const DRIVER_PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;

pub struct DesktopApp {
    pub client: Client,
    driver: Child,
    xvfb: Option<Child>,
    _turn: MutexGuard<'static, ()>,
}

impl DesktopApp {
    /// Starts the app (through tauri-driver) and connects a WebDriver session to its window.
    pub async fn launch() -> DesktopApp {
        assert!(
            cfg!(feature = "custom-protocol"),
            "end-to-end tests need the bundled UI: run them through `make test` \
             (cargo test --features superdocs-desktop/custom-protocol)"
        );
        let turn = ONE_APP_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let (display, xvfb) = display();
        let driver = Command::new(tauri_driver())
            .args(["--port", &DRIVER_PORT.to_string(), "--native-port", &NATIVE_PORT.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DISPLAY", &display)
            // Xvfb has no GPU: software rendering keeps WebKit from failing to create a GL context.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver could not start (is it installed? `make test` installs it)");
        wait_for_port(DRIVER_PORT, Duration::from_secs(20));

        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_superdocs-desktop") }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{DRIVER_PORT}"))
            .await
            .expect("WebDriver session with the app");
        DesktopApp { client, driver, xvfb, _turn: turn }
    }

    /// Polls the page until `css` matches an element whose text contains `needle`; returns that text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(fantoccini::Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element {css:?} with text {needle:?} within 20 s (last text: {last:?})");
    }

    /// Saves a screenshot of the window to artifacts/screenshots/NAME.png (see README).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(mut x) = self.xvfb.take() {
            let _ = x.kill();
            let _ = x.wait();
        }
    }
}

impl Drop for DesktopApp {
    fn drop(&mut self) {
        // A panicking test must not leave the driver holding the fixed ports for the next one.
        let _ = self.driver.kill();
        if let Some(x) = self.xvfb.as_mut() {
            let _ = x.kill();
        }
    }
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let cargo_bin = Path::new(&std::env::var("HOME").unwrap_or_default()).join(".cargo/bin/tauri-driver");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        "tauri-driver".into()
    }
}

/// The X display to use: the caller's, or a private Xvfb started for this app.
fn display() -> (String, Option<Child>) {
    if let Ok(d) = std::env::var("DISPLAY") {
        if !d.is_empty() {
            return (d, None);
        }
    }
    let n = 90 + std::process::id() % 400;
    let xvfb = Command::new("Xvfb")
        .args([format!(":{n}").as_str(), "-screen", "0", "1440x900x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb could not start (is it installed? `make test` installs it)");
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        assert!(Instant::now() < deadline, "Xvfb :{n} did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    (format!(":{n}"), Some(xvfb))
}

fn wait_for_port(port: u16, within: Duration) {
    let deadline = Instant::now() + within;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
