//! The main screens as a user meets them, in the light and the dark theme and in German, saved as
//! screenshots to artifacts/screenshots/tour-<light|dark|de>-<screen>.png (see the README). Each step also
//! checks that the screen it photographs is really there.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::Duration;

use superdocs_sim::{SimConfig, SimHandle};
use support::{AppHome, DesktopApp};

/// The tour in `theme`; `german` starts the app with a German OS language.
async fn tour(theme: &str, german: bool) {
    let sim = SimHandle::start(SimConfig { job_step_delay: Duration::from_millis(150), ..SimConfig::default() })
        .await
        .expect("sim");
    let files = tempfile::tempdir().expect("files");
    let report = files.path().join("Turbine field report.md");
    let body = "# Turbine field report\n\n## Findings\n\nThe turbines ran at 93% availability in March. Two gearboxes \
                need service before the summer peak.\n\n## Costs\n\nParts and labour come to 41,000 EUR.\n";
    std::fs::write(&report, body).expect("write");
    let home = AppHome::new();
    // The system's preference, as GTK reports it to WebKit: the first-run screen follows it.
    let gtk_theme = if theme == "dark" { "Adwaita:dark" } else { "Adwaita" };
    let mut env = vec![("GTK_THEME", gtk_theme)];
    if german {
        env.push(("LANG", "de_DE.UTF-8"));
    }
    let app = DesktopApp::launch_with(&home, &env).await;
    let prefix = if german { "de" } else { theme };
    let shot = |name: &'static str| {
        let app = &app;
        async move { app.screenshot(&format!("tour-{prefix}-{name}")).await }
    };
    // What a screen says, in the tour's language.
    let says = |en: &'static str, de: &'static str| if german { de } else { en };

    app.find("[data-testid=connect-screen]").await;
    assert_eq!(
        app.find("html").await.attr("data-theme").await.expect("theme").as_deref(),
        Some(theme),
        "the first-run screen follows the system"
    );
    shot("connect").await;
    app.type_into("[data-testid=key-input]", sim.key()).await;
    app.click(".advanced summary").await;
    app.type_into("[data-testid=server-input]", sim.base_url()).await;
    app.click("[data-testid=connect]").await;
    app.find("[data-testid=sidebar]").await;

    // Settings, with the theme chosen there (explicitly, so the rest of the tour is in it either way).
    app.click("[data-testid=settings-button]").await;
    app.click("[data-testid=settings-tab-general]").await;
    app.click(&format!("[data-testid=theme-{theme}]")).await;
    app.wait_for_text("[data-testid=settings-dialog]", says("Notifications", "Benachrichtigungen")).await;
    shot("settings").await;
    app.client.active_element().await.expect("focus").send_keys("\u{e00c}").await.expect("Escape");
    app.wait_until("the settings to close", Duration::from_secs(5), || async {
        !app.exists("[data-testid=settings-dialog]").await
    })
    .await;

    // A document dropped on the window, its upload held at the service for a moment: the upload panel.
    support::hold_next_post(&sim, "/v1/documents/upload", 2500);
    app.drop_files(&[&report], "[data-testid=drop-document]").await;
    app.find("[data-testid=upload-row]").await;
    shot("upload-panel").await;
    app.wait_for_text("[data-testid=document]", "93% availability").await;
    app.click("[data-testid=activity-button]").await;

    // The session: the document beside the chat.
    app.type_into("[data-testid=composer-input]", "Make the tone more formal").await;
    app.click("[data-testid=send]").await;
    app.wait_until("the reply", Duration::from_secs(30), || async {
        app.count("[data-testid=message]").await >= 2 && !app.exists("[data-testid=job-progress]").await
    })
    .await;
    shot("session").await;

    // Review mode: proposed changes on the document and as a card in the chat.
    app.click("[data-testid=review-toggle]").await;
    app.type_into("[data-testid=composer-input]", "Add a summary").await;
    app.click("[data-testid=send]").await;
    app.wait_for_text("[data-testid=changes-card]", says("Keep all", "Alle übernehmen")).await;
    shot("review").await;
    app.click("[data-testid=keep-all]").await;
    app.click("[data-testid=apply-decisions]").await;
    app.wait_until("the reviewed job to finish", Duration::from_secs(30), || async {
        !app.exists("[data-testid=changes-card]").await && !app.exists("[data-testid=job-progress]").await
    })
    .await;

    // The export dialog.
    app.click("[data-testid=export-button]").await;
    app.find("[data-testid=export-format]").await.select_by_value("pdf").await.expect("PDF");
    app.type_into("[data-testid=export-watermark]", "DRAFT").await; // a PDF-only option
    shot("export-dialog").await;
    app.client.active_element().await.expect("focus").send_keys("\u{e00c}").await.expect("Escape");
    app.wait_until("the export dialog to close", Duration::from_secs(5), || async {
        !app.exists("[data-testid=export-dialog]").await
    })
    .await;

    // An error card: the month's operations used up.
    sim.set_monthly_used(sim.key(), 500);
    app.type_into("[data-testid=composer-input]", "Shorten the findings").await;
    app.click("[data-testid=send]").await;
    app.find("[data-testid=error-card][data-kind=quota]").await;
    app.wait_for_text("[data-testid=error-card]", says("used this month", "dieses Monats aufgebraucht")).await;
    shot("error-card").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_screens_in_the_light_theme() {
    tour("light", false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_screens_in_the_dark_theme() {
    tour("dark", false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_screens_in_german() {
    tour("light", true).await;
}
