//! The app as a citizen of the desktop: one instance per user session, the window's size remembered
//! across restarts, a log file in the platform's log folder that never holds a key.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{AppHome, DesktopApp};

/// Starts the app binary again in the same session and home, as a file manager would; its exit status
/// (it must hand over to the running app and end, not open a second window).
async fn launch_again(home: &AppHome, app: &DesktopApp, args: &[&str]) -> std::process::ExitStatus {
    let mut again = Command::new(env!("CARGO_BIN_EXE_superdocs-desktop"))
        .args(args)
        .envs(home.env())
        .env("DISPLAY", &app.display)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("second launch");
    let started = Instant::now();
    loop {
        if let Some(status) = again.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = again.kill();
            panic!("the second launch is still running after 30 s: two apps on one store");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_second_launch_focuses_the_running_window_and_exits() {
    let home = AppHome::new();
    let app = DesktopApp::launch_in(&home).await;
    app.find("[data-testid=connect-screen]").await;
    // The way a file manager or a menu would start it again: the same binary, same user session.
    let status = launch_again(&home, &app, &[]).await;
    assert!(status.success(), "the second launch ended with {status}");
    app.wait_until("the first app heard of the second launch", Duration::from_secs(10), || async {
        std::fs::read_to_string(home.log()).unwrap_or_default().contains("second launch: focusing the running window")
    })
    .await;
    // Still one window, still answering.
    assert_eq!(app.xdotool(&["search", "--onlyvisible", "--name", "^SuperDocs$"]).lines().count(), 1);
    app.find("[data-testid=connect-screen]").await;
    app.close().await;
}

fn geometry(app: &DesktopApp) -> (u32, u32) {
    let out = app.xdotool(&["getwindowgeometry", &app.window_id()]);
    let size = out.lines().find_map(|l| l.trim().strip_prefix("Geometry: ")).expect("a geometry line").to_string();
    let (w, h) = size.split_once('x').expect("WxH");
    (w.parse().unwrap(), h.parse().unwrap())
}

#[tokio::test]
async fn the_window_comes_back_at_the_size_the_user_left_it() {
    let home = AppHome::new();
    let app = DesktopApp::launch_in(&home).await;
    app.find("[data-testid=connect-screen]").await;
    assert_eq!(geometry(&app), (1280, 800), "the first start uses the configured size");
    app.xdotool(&["windowsize", "--sync", &app.window_id(), "1000", "700"]);
    app.wait_until("the resize reached the app", Duration::from_secs(10), || async { geometry(&app) == (1000, 700) })
        .await;
    // Saved shortly after the change, so it survives however the app ends (here: the driver kills it).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.close().await;

    let again = DesktopApp::launch_in(&home).await;
    again.find("[data-testid=connect-screen]").await;
    assert_eq!(geometry(&again), (1000, 700));
    again.close().await;
}

#[tokio::test]
async fn the_log_file_is_written_in_the_log_folder_without_the_key() {
    // Connecting sends the key through IPC, the keyring and the first API calls, all logged at debug level.
    let (sim, home, app) = support::connected_app(superdocs_sim::SimConfig::default()).await;
    app.close().await;
    let dir = home.path().join("data/app.superdocs.desktop/logs");
    let files: Vec<_> = std::fs::read_dir(&dir).expect("the log folder").flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "one file per day: {files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("ipc: app_version"), "the page's first call is logged:\n{text}");
    assert!(!text.contains(sim.key()), "the key reached the log file");
}

#[tokio::test]
async fn a_damaged_database_opens_the_start_up_error_screen_and_reset_recovers() {
    let home = AppHome::new();
    let data = home.path().join("data/app.superdocs.desktop");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("superdocs.db"), b"not an SQLite database: a disk error's leftovers ".repeat(200))
        .unwrap();
    let app = DesktopApp::launch_in(&home).await;
    // Before: the app panicked in setup and no window ever appeared.
    let screen = app.wait_for_text("[data-testid=startup-error]", "could not start").await;
    assert!(screen.contains(&data.display().to_string()), "names the data folder: {screen}");
    assert!(screen.contains("logs"), "says where the logs are: {screen}");
    app.screenshot("startup-error").await;
    app.click("[data-testid=startup-retry]").await;
    app.wait_for_text("[data-testid=startup-error]", "It still fails").await;
    app.click("[data-testid=startup-reset]").await;
    app.click("[data-testid=startup-reset-confirm]").await;
    app.find("[data-testid=connect-screen]").await;
    let kept: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("superdocs.db.damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged database is kept aside for support: {kept:?}");
    app.close().await;
}

#[tokio::test]
async fn open_with_a_file_and_a_second_launch_with_another_make_two_sessions_in_one_window() {
    let sim = superdocs_sim::SimHandle::start(superdocs_sim::SimConfig::default()).await.unwrap();
    let home = AppHome::new();
    let first = home.path().join("Quarterly report.md");
    std::fs::write(&first, "# Quarterly report\n\nRevenue grew.\n").unwrap();
    let second = home.path().join("Meeting notes.txt");
    std::fs::write(&second, "Meeting notes: ship on Friday.\n").unwrap();
    // As a file manager's "Open with SuperDocs" starts it.
    let app = DesktopApp::launch_with_args(&home, &[], &[first.to_str().unwrap()]).await;
    // The file waits for a profile; connecting opens it as a new session's document.
    app.connect_to(&sim).await;
    app.wait_for_text("[data-testid=document]", "Revenue grew").await;

    let status = launch_again(&home, &app, &[second.to_str().unwrap()]).await;
    assert!(status.success(), "the second launch hands over and exits: {status}");
    app.wait_for_text("[data-testid=document]", "ship on Friday").await;
    app.screenshot("open-with").await;
    assert_eq!(app.count("[data-testid=session-item]").await, 2, "one session per opened file");
    app.close().await;
}

#[tokio::test]
async fn file_settings_in_the_native_menu_runs_the_same_action_as_its_shortcut() {
    let (_sim, _home, app) = support::connected_app(superdocs_sim::SimConfig::default()).await;
    assert!(!app.exists("[data-testid=settings-dialog]").await);
    let window = app.window_id();
    app.focus(&window);
    // The keyboard way into a GTK menu bar: F10 opens File; Down walks to its fourth item, Settings….
    app.xdotool(&["key", "--window", &window, "F10"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..4 {
        app.xdotool(&["key", "Down"]);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.screenshot("menu-file").await;
    app.xdotool(&["key", "Return"]);
    app.find("[data-testid=settings-dialog]").await;
    app.close().await;
}

/// File → Quit through the GTK menu bar (F10, then down to its last item).
async fn choose_file_quit(app: &DesktopApp) {
    let window = app.window_id();
    app.focus(&window);
    app.xdotool(&["key", "--window", &window, "F10"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..6 {
        app.xdotool(&["key", "Down"]);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.xdotool(&["key", "Return"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_while_an_upload_runs_asks_first() {
    let files = tempfile::tempdir().unwrap();
    let report = files.path().join("Field report.md");
    std::fs::write(&report, "# Field report\n\nAll turbines ran.\n").unwrap();
    let (sim, home, app) = support::connected_app(superdocs_sim::SimConfig::default()).await;
    // The upload's request is held at the service: it stays in flight while the user quits.
    support::hold_next_post(&sim, "/v1/documents/upload", 30_000);
    app.drop_files(&[&report], "[data-testid=drop-document]").await;
    app.find("[data-testid=upload-row][data-state=uploading]").await;

    choose_file_quit(&app).await;
    let question = app.wait_for_text("[data-testid=quit-dialog]", "still running").await;
    assert!(question.contains("1 upload"), "{question}");
    app.screenshot("quit-dialog").await;
    app.click("[data-testid=quit-cancel]").await;
    tokio::time::sleep(Duration::from_secs(4)).await; // past the shell's wait for an answer
    assert!(!app.exists("[data-testid=quit-dialog]").await, "Cancel keeps the app open");

    choose_file_quit(&app).await;
    // The app ends during the click, so WebDriver may report the click itself as failed.
    let _ = app.find("[data-testid=quit-now]").await.click().await;
    app.wait_until("the app quit", Duration::from_secs(10), || async {
        std::fs::read_to_string(home.log()).unwrap_or_default().contains("quitting at the user's request")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_and_the_shells_words_follow_the_os_language() {
    let sim = superdocs_sim::SimHandle::start(support::paced(150)).await.expect("the simulator starts");
    let home = AppHome::new();
    let app = DesktopApp::launch_with(&home, &[("LANG", "de_DE.UTF-8")]).await;
    let welcome = app.wait_for_text("[data-testid=connect-screen] h1", "Willkommen").await;
    assert_eq!(welcome, "Willkommen bei SuperDocs");
    let lang = app.client.execute("return document.documentElement.lang", vec![]).await.expect("script");
    assert_eq!(lang, serde_json::json!("de"), "screen readers are told the page's language");
    app.screenshot("de-connect").await;

    // The shell's own words too: a job waiting for review is announced in German, buttons included.
    app.connect_to(&sim).await;
    let notifications = support::notifications::NotificationServer::start().await;
    app.click("[data-testid=new-session]").await;
    app.click("[data-testid=review-toggle]").await;
    let review = app.find("[data-testid=review-toggle]").await.prop("checked").await.expect("checkbox");
    assert_eq!(review.as_deref(), Some("true"), "review mode on");
    let other = app.other_window(&[]);
    // The simulator drafts (and so proposes changes) for an English request.
    app.send("Draft a memo about the quarterly budget").await;
    app.focus(&other.window_id());
    app.wait_until("a notification", Duration::from_secs(30), || async { !notifications.shown().is_empty() }).await;
    let shown = notifications.shown();
    assert_eq!(shown[0].summary, "SuperDocs: Änderungen zu prüfen", "{shown:?}");
    assert_eq!(shown[0].actions, ["default", "Öffnen", "approve_all", "Alle übernehmen"], "{shown:?}");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choosing_german_in_settings_switches_the_window_and_the_shell_at_once_and_is_kept() {
    let (sim, home, app) = support::connected_app(support::paced(150)).await;
    app.click("[data-testid=settings-button]").await;
    app.click("[data-testid=settings-tab-general]").await;
    app.find("[data-testid=language-select]").await.select_by_value("de").await.expect("choose Deutsch");
    app.wait_for_text("[data-testid=settings-dialog]", "Benachrichtigungen").await;
    app.client.active_element().await.expect("focus").send_keys("\u{e00c}").await.expect("Escape");
    app.wait_for_text("[data-testid=sidebar]", "Sitzungen").await;

    // The shell switched too: the next notification is German.
    let notifications = support::notifications::NotificationServer::start().await;
    app.click("[data-testid=new-session]").await;
    let other = app.other_window(&[]);
    app.send("Draft a memo about the quarterly budget").await;
    app.focus(&other.window_id());
    app.wait_until("a notification", Duration::from_secs(30), || async { !notifications.shown().is_empty() }).await;
    assert_eq!(notifications.shown()[0].summary, "SuperDocs: fertig", "{:?}", notifications.shown());
    app.close().await;

    // Kept: the next start is German although the OS speaks English.
    let app = DesktopApp::launch_in(&home).await;
    app.wait_for_text("[data-testid=sidebar]", "Sitzungen").await;
    let lang = app.client.execute("return document.documentElement.lang", vec![]).await.expect("script");
    assert_eq!(lang, serde_json::json!("de"));
    drop(sim);
    app.close().await;
}
