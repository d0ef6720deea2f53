//! Drives the real app binary the way a user meets it: its own window under Xvfb, its WebKit page driven
//! through tauri-driver (WebDriver), inside the D-Bus session that `scripts/desktop-session.sh` provides.
#![allow(dead_code)] // each test file uses a different part of the harness

use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// One app at a time: the tests share one Xvfb display size and the machine has two cores.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

pub struct DesktopApp {
    pub client: Client,
    /// The X display the window is on (the caller's, or our own Xvfb).
    display: String,
    _processes: Processes,
    _turn: MutexGuard<'static, ()>,
}

/// The processes behind one app: ended on drop, also when a test panics or `launch` itself fails.
struct Processes {
    /// tauri-driver, leader of a process group that also holds WebKitWebDriver and the app.
    driver: Option<Child>,
    xvfb: Option<Child>,
}

impl Drop for Processes {
    fn drop(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            let group = format!("-{}", driver.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let _ = driver.wait();
        }
        if let Some(mut x) = self.xvfb.take() {
            let _ = x.kill();
            let _ = x.wait();
        }
    }
}

impl DesktopApp {
    /// Starts the app (through tauri-driver) and connects a WebDriver session to its window.
    pub async fn launch() -> DesktopApp {
        assert!(
            cfg!(feature = "custom-protocol"),
            "end-to-end tests need the bundled UI: run them through `make test` \
             (cargo test --features superdocs-desktop/custom-protocol)"
        );
        // The core's TLS uses ring and fantoccini's pulls in aws-lc-rs: with both linked, rustls needs to be told.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let turn = ONE_APP_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let (display, xvfb) = display();
        let mut processes = Processes { driver: None, xvfb };
        // Free ports rather than tauri-driver's fixed 4444/4445, so another run on the machine cannot collide.
        let (driver_port, native_port) = (free_port(), free_port());
        let driver = Command::new(tauri_driver())
            .args(["--port", &driver_port.to_string(), "--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DISPLAY", &display)
            // Xvfb has no GPU: software rendering keeps WebKit from failing to create a GL context.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group: tauri-driver starts WebKitWebDriver, which starts the app, and all of
            // them must go when the test ends, or the next test finds a WebDriver session still open.
            .process_group(0)
            .spawn()
            .expect("tauri-driver could not start (is it installed? `make test` installs it)");
        processes.driver = Some(driver);
        wait_for_port(driver_port, Duration::from_secs(20));

        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_superdocs-desktop") }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("WebDriver session with the app");
        DesktopApp { client, display, _processes: processes, _turn: turn }
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

    /// Saves a screenshot of the display to artifacts/screenshots/NAME.png (see README). Taken from X with
    /// ImageMagick's `import`: WebKitWebDriver's own screenshot takes ~20 s under Xvfb, or hangs. Best effort:
    /// a screenshot is an artifact, not an assertion.
    pub async fn screenshot(&self, name: &str) -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        let import = tokio::process::Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .kill_on_drop(true)
            .status();
        match tokio::time::timeout(Duration::from_secs(15), import).await {
            Ok(Ok(status)) if status.success() => Some(path),
            other => {
                eprintln!("screenshot {name} not taken: {other:?}");
                None
            }
        }
    }

    pub async fn close(self) {
        // Ending the WebDriver session closes the app; dropping the processes then ends the driver's group.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn wait_for_port(port: u16, within: Duration) {
    let deadline = Instant::now() + within;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
