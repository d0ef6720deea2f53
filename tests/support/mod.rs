//! Drives the real app binary the way a user meets it: its own window under Xvfb, its WebKit page driven
//! through tauri-driver (WebDriver), inside the D-Bus session that `scripts/desktop-session.sh` provides.
#![allow(dead_code)] // each test file uses a different part of the harness

use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub mod big;
pub mod file_manager;
pub mod notifications;

/// One app at a time: the tests share one Xvfb display size and the machine has two cores.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A simulator config whose chat jobs take `ms` between progress events.
pub fn paced(ms: u64) -> superdocs_sim::SimConfig {
    superdocs_sim::SimConfig { job_step_delay: Duration::from_millis(ms), ..Default::default() }
}

/// Makes the sim hold the next `POST path` for `ms` before answering it (a slow upload or export).
pub fn hold_next_post(sim: &superdocs_sim::SimHandle, path: &str, ms: u64) {
    sim.add_fault(superdocs_sim::FaultRule {
        method: Some("POST".into()),
        path: path.into(),
        times: 1,
        delay_ms: ms,
        action: superdocs_sim::FaultAction::DelayOnly,
        ..Default::default()
    });
}

/// The simulator `config` describes, and the app in a fresh home, connected to it through the first-run
/// screen. The sim runs on the test's runtime: keep it alive (a `_sim` binding) for as long as the app.
pub async fn connected_app(config: superdocs_sim::SimConfig) -> (superdocs_sim::SimHandle, AppHome, DesktopApp) {
    let sim = superdocs_sim::SimHandle::start(config).await.expect("the simulator starts");
    let home = AppHome::new();
    let app = DesktopApp::launch_in(&home).await;
    app.connect_to(&sim).await;
    (sim, home, app)
}

/// Everything the app writes on disk, kept apart per test: its XDG data, config and cache folders, a
/// Downloads folder (the default export folder), and the app's log (its stderr). Relaunching in the same
/// home is how a test restarts the app.
pub struct AppHome {
    pub root: tempfile::TempDir,
    /// The profile `connect_to` creates. Unique per home: the keyring is shared by every test of the run,
    /// and a test that restarts its app must find its own key there, not one another test stored meanwhile.
    pub profile: String,
}

impl AppHome {
    pub fn new() -> AppHome {
        let root = tempfile::tempdir().expect("app home");
        for d in ["data", "config", "cache", "Downloads"] {
            std::fs::create_dir_all(root.path().join(d)).expect("app home folder");
        }
        // GLib reads the Downloads folder from user-dirs.dirs: the app's default export folder.
        let line = format!("XDG_DOWNLOAD_DIR=\"{}\"\n", root.path().join("Downloads").display());
        std::fs::write(root.path().join("config/user-dirs.dirs"), line).expect("user-dirs.dirs");
        let tag: String = root
            .path()
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        AppHome { profile: format!("Work-{tag}"), root }
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    pub fn downloads(&self) -> PathBuf {
        self.path().join("Downloads")
    }

    /// The app's stderr (its tracing log at debug level), across every launch in this home.
    pub fn log(&self) -> PathBuf {
        self.path().join("app.log")
    }

    /// The end of the app's log, for a failure message.
    pub fn log_tail(&self) -> String {
        log_tail(&self.log())
    }

    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("XDG_DATA_HOME", self.path().join("data")),
            ("XDG_CONFIG_HOME", self.path().join("config")),
            ("XDG_CACHE_HOME", self.path().join("cache")),
        ]
    }

    /// Every file the app may have written (its data, config and cache folders, downloads, log).
    pub fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out
    }
}

pub struct DesktopApp {
    pub client: Client,
    /// The X display the window is on (the caller's, or our own Xvfb).
    pub display: String,
    /// The home of a `launch()` without one of the caller's.
    _own_home: Option<AppHome>,
    /// The app's log, whose end goes into a failure's message.
    log: PathBuf,
    /// The profile name `connect_to` uses (its home's).
    pub profile: String,
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
    /// Starts the app in a fresh home of its own.
    pub async fn launch() -> DesktopApp {
        let home = AppHome::new();
        let mut app = DesktopApp::launch_in(&home).await;
        app._own_home = Some(home);
        app
    }

    /// Starts the app (through tauri-driver) in `home` and connects a WebDriver session to its window.
    pub async fn launch_in(home: &AppHome) -> DesktopApp {
        DesktopApp::launch_with(home, &[]).await
    }

    /// `launch_in` with more environment for the app (e.g. GTK_THEME, the system's light or dark).
    pub async fn launch_with(home: &AppHome, env: &[(&str, &str)]) -> DesktopApp {
        DesktopApp::launch_with_args(home, env, &[]).await
    }

    /// `launch_with`, the app started with these command-line arguments (files to open, links).
    // The std Mutex is held across awaits on purpose: it serialises the apps of one test binary (each test has
    // its own runtime and thread), so two windows never share the display or the notification server.
    #[allow(clippy::await_holding_lock)]
    pub async fn launch_with_args(home: &AppHome, env: &[(&str, &str)], args: &[&str]) -> DesktopApp {
        if !cfg!(feature = "custom-protocol") {
            panic!(
                "end-to-end tests need the bundled UI: run them through `make test` \
                 (cargo test --features superdocs-desktop/custom-protocol)"
            );
        }
        // The core's TLS uses ring and fantoccini's pulls in aws-lc-rs: with both linked, rustls needs to be told.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let turn = ONE_APP_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let (display, xvfb) = display();
        let mut processes = Processes { driver: None, xvfb };
        // Free ports rather than tauri-driver's fixed 4444/4445, so another run on the machine cannot collide.
        let (driver_port, native_port) = (free_port(), free_port());
        // The app inherits tauri-driver's environment and stderr (through WebKitWebDriver).
        let log = std::fs::OpenOptions::new().create(true).append(true).open(home.log()).expect("app log");
        let driver = Command::new(tauri_driver())
            .args(["--port", &driver_port.to_string(), "--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DISPLAY", &display)
            // Xvfb has no GPU: software rendering keeps WebKit from failing to create a GL context.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            // The most the app ever logs, so a test reading the log sees everything it could leak.
            .env("RUST_LOG", "debug")
            .envs(home.env())
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
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
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_superdocs-desktop"), "args": args }),
        );
        let mut builder = ClientBuilder::rustls().expect("rustls");
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{driver_port}");
        let mut attempt = 1;
        let client = loop {
            // WebKitWebDriver waits for the app's page without end when the app dies at start.
            match tokio::time::timeout(Duration::from_secs(60), builder.connect(&url)).await {
                Ok(Ok(client)) => break client,
                // tauri-driver listens before its WebKitWebDriver does: on a busy machine the first
                // session request can find the connection closed (hyper's IncompleteMessage).
                Ok(Err(e)) if attempt < 3 => {
                    eprintln!("WebDriver session, attempt {attempt}: {e}; trying again");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Ok(Err(e)) => panic!("no WebDriver session with the app: {e}\n{}", home.log_tail()),
                Err(_) => panic!("the app's window did not come up within 60 s\n{}", home.log_tail()),
            }
        };
        DesktopApp {
            client,
            display,
            _own_home: None,
            log: home.log(),
            profile: home.profile.clone(),
            _processes: processes,
            _turn: turn,
        }
    }

    /// The first-run screen's *Connect* door, as a user fills it: a profile name (`self.profile`), the sim's
    /// key, its address under Advanced → Server; the key is checked, stored in the keyring, the profile active.
    pub async fn connect_to(&self, sim: &superdocs_sim::SimHandle) {
        self.fill_connect(sim).await;
        self.click("[data-testid=connect]").await;
        self.find("[data-testid=sidebar]").await;
    }

    /// The first-run screen filled in for `sim`, up to the *Connect* click.
    pub async fn fill_connect(&self, sim: &superdocs_sim::SimHandle) {
        self.find("[data-testid=connect-screen]").await;
        self.type_into("[data-testid=profile-name]", &self.profile).await;
        self.type_into("[data-testid=key-input]", sim.key()).await;
        self.click(".advanced summary").await;
        self.type_into("[data-testid=server-input]", sim.base_url()).await;
    }

    /// Types a message in the composer and sends it.
    pub async fn send(&self, message: &str) {
        self.type_into("[data-testid=composer-input]", message).await;
        self.click("[data-testid=send]").await;
    }

    /// Sends a message and waits for its reply (two more messages, no job running).
    pub async fn chat(&self, message: &str) {
        let before = self.count("[data-testid=message]").await;
        self.send(message).await;
        self.wait_for_reply(before + 2).await;
    }

    /// Waits until the chat holds `messages` messages and no job is running.
    pub async fn wait_for_reply(&self, messages: usize) {
        self.wait_until("the reply", Duration::from_secs(30), || async {
            self.count("[data-testid=message]").await >= messages && !self.exists("[data-testid=job-progress]").await
        })
        .await;
    }

    /// What a failed wait reports besides its own message: a screenshot and the end of the app's log.
    async fn evidence(&self, name: &str) -> String {
        let shot = self.screenshot(name).await;
        format!("screen: {shot:?}; {}", log_tail(&self.log))
    }

    /// Waits for an element (up to 20 s).
    pub async fn find(&self, css: &str) -> Element {
        match self.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => {
                panic!("no element {css:?} within 20 s: {e}\n{}", self.evidence("missing-element").await);
            }
        }
    }

    pub async fn click(&self, css: &str) {
        if let Err(e) = self.find(css).await.click().await {
            let shot = self.screenshot("click-failed").await;
            panic!("click {css}: {e:?} (screen: {shot:?})");
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
        el.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.map(|v| v.len()).unwrap_or(0)
    }

    pub async fn source(&self) -> String {
        self.client.source().await.expect("page source")
    }

    /// Records, from now on, every message Rust sends the page: command results and errors, events and
    /// Channel messages all arrive through `__TAURI_INTERNALS__.runCallback`, which looks the page's
    /// callback up in the `callbacks` map; wrapping that lookup sees each payload on its way in.
    pub async fn record_ipc(&self) {
        let js = r#"
            const callbacks = window.__TAURI_INTERNALS__.callbacks;
            window.__e2eIpc = [];
            const lookUp = callbacks.get.bind(callbacks);
            callbacks.get = (id) => {
              const cb = lookUp(id);
              return cb && ((data) => {
                try { window.__e2eIpc.push(typeof data === "string" ? data : JSON.stringify(data)); } catch (e) {}
                return cb(data);
              });
            };
        "#;
        self.client.execute(js, vec![]).await.expect("install the IPC recorder");
    }

    /// What the recorder saw, one JSON text per message.
    pub async fn recorded_ipc(&self) -> Vec<String> {
        let v = self.client.execute("return window.__e2eIpc || []", vec![]).await.expect("read the IPC recorder");
        serde_json::from_value(v).expect("recorded messages")
    }

    /// Records, from now on, each distinct text an element matching `css` shows, however briefly (a
    /// MutationObserver sees every render; polling over WebDriver would miss a short retry wait).
    pub async fn watch_texts(&self, css: &str) {
        let js = r#"
            const css = arguments[0];
            window.__e2eSeen = window.__e2eSeen || {};
            const seen = window.__e2eSeen[css] = [];
            const look = () => document.querySelectorAll(css).forEach((el) => {
              const t = el.textContent.trim();
              if (t && !seen.includes(t)) seen.push(t);
            });
            new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
            look();
        "#;
        self.client.execute(js, vec![serde_json::json!(css)]).await.expect("install the watcher");
    }

    pub async fn watched_texts(&self, css: &str) -> Vec<String> {
        let v = self
            .client
            .execute("return (window.__e2eSeen || {})[arguments[0]] || []", vec![serde_json::json!(css)])
            .await
            .expect("read the watcher");
        serde_json::from_value(v).expect("seen texts")
    }

    /// Polls `check` every 100 ms until it holds, for up to `within`; panics (with a screenshot) if not.
    pub async fn wait_until<F, Fut>(&self, what: &str, within: Duration, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + within;
        while !check().await {
            if Instant::now() > deadline {
                panic!("{what}: not within {within:?}\n{}", self.evidence("timed-out").await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls the page until `css` matches an element whose text contains `needle`; returns that text.
    /// The text is the DOM's textContent: WebKitWebDriver's visible text leaves out text that is cut
    /// with an ellipsis (a long session name) or sits beside a spinning spinner.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.prop("textContent").await.ok().flatten().unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "no element {css:?} with text {needle:?} within 20 s (last text: {last:?})\n{}",
            self.evidence("missing-text").await
        );
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

    /// Runs xdotool on the app's display (input the way the X server delivers it, not through WebDriver).
    pub fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .expect("xdotool (`make test` installs it)");
        assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The X window id of the app's main window.
    pub fn window_id(&self) -> String {
        let ids = self.xdotool(&["search", "--sync", "--onlyvisible", "--name", "^SuperDocs$"]);
        ids.lines().next().expect("the app's window").to_string()
    }

    /// Drags `files` from another program (a GTK drag source beside the window) and drops them on the
    /// element `target_css`, which may only exist once the drag is over the window (the drop overlay).
    pub async fn drop_files(&self, files: &[&Path], target_css: &str) {
        let window = self.window_id();
        let source = self.other_window(files);
        // Press on the source, then move in steps: GTK starts a drag after a few pixels of motion, and
        // each step is an XDND position message the app's window answers.
        self.xdotool(&["mousemove", "--sync", &(source.x + 60).to_string(), &(source.y + 60).to_string()]);
        self.xdotool(&["mousedown", "1"]);
        for (x, y) in [(source.x + 50, source.y + 62), (source.x + 30, source.y + 70), (source.x - 20, 80)] {
            self.xdotool(&["mousemove", &x.to_string(), &y.to_string()]);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for (x, y) in [(900, 200), (640, 400)] {
            self.xdotool(&["mousemove", "--window", &window, &x.to_string(), &y.to_string()]);
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        let target = self.find(target_css).await;
        let (left, top, width, height) = target.rectangle().await.expect("the drop target's place");
        let (x, y) = ((left + width / 2.0) as i64, (top + height / 2.0) as i64);
        for (dx, dy) in [(-10, -10), (0, 0)] {
            self.xdotool(&["mousemove", "--window", &window, &(x + dx).to_string(), &(y + dy).to_string()]);
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        self.xdotool(&["mouseup", "1"]);
        // The app asks the source for the file list after the release: keep it alive a moment.
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }

    /// Another program's window on the same display (the GTK drag source, offering `files`).
    pub fn other_window(&self, files: &[&Path]) -> DragSource {
        DragSource::start(&self.display, files)
    }

    /// Gives the X input focus to a window (no window manager runs under Xvfb: xdotool sets it directly).
    pub fn focus(&self, window_id: &str) {
        self.xdotool(&["windowfocus", "--sync", window_id]);
    }

    /// `kill -9` of the app itself (not tauri-driver or WebKitWebDriver), as a crash or a power cut would
    /// end it: no exit code runs. Its WebDriver session dies with it: drop this value (which ends the
    /// driver) and launch again in the same home.
    pub fn kill_app(&self) {
        let group = self._processes.driver.as_ref().expect("tauri-driver").id();
        let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_superdocs-desktop")).expect("the app's binary");
        // The app is the process of the driver's group running our binary.
        let pid = std::fs::read_dir("/proc")
            .expect("/proc")
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .find(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                // Fields after the command name (in parentheses): state, ppid, pgrp.
                let pgrp =
                    stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(2)?.parse::<u32>().ok());
                pgrp == Some(group) && std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe)
            })
            .expect("the app's process in tauri-driver's group");
        let killed = Command::new("kill").args(["-KILL", &pid.to_string()]).status().expect("kill");
        assert!(killed.success(), "kill -9 {pid}");
        let deadline = Instant::now() + Duration::from_secs(10);
        // Gone, or a zombie its parent has not reaped yet: either way it runs no more.
        while std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z ")) {
            assert!(Instant::now() < deadline, "the app outlived kill -9");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub async fn close(self) {
        // Ending the WebDriver session closes the app; dropping the processes then ends the driver's group.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
    }
}

/// The last lines of an app log above debug level (warnings, errors, a panic), for a failure message.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    // The app's own debug lines stay (they say what it was doing); its dependencies' are noise here.
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("DEBUG") || l.contains("superdocs")).collect();
    format!("the app's log ({}), last lines:\n{}", log.display(), lines[lines.len().saturating_sub(40)..].join("\n"))
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

/// A GTK window offering files by drag and drop (tests/support/drag_source.py), at the screen's right
/// edge, clear of the app's 1280-pixel-wide window. Closed on drop.
pub struct DragSource {
    child: Child,
    x: i64,
    y: i64,
    display: String,
}

impl DragSource {
    fn start(display: &str, files: &[&Path]) -> DragSource {
        use std::io::BufRead;
        let (x, y) = (1300, 20);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/drag_source.py");
        // The system's Python: it has the GTK bindings (python3-gi, gir1.2-gtk-3.0).
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .args([x.to_string(), y.to_string()])
            .args(files)
            .env("DISPLAY", display)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the drag source (python3-gi)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("drag source output");
        assert_eq!(line.trim(), "ready", "the drag source did not start");
        DragSource { child, x, y, display: display.to_string() }
    }

    /// Its X window id.
    pub fn window_id(&self) -> String {
        let out = Command::new("xdotool")
            .args(["search", "--sync", "--onlyvisible", "--pid", &self.child.id().to_string()])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xdotool");
        String::from_utf8_lossy(&out.stdout).lines().next().expect("the other window").to_string()
    }
}

impl Drop for DragSource {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
