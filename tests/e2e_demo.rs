//! The offline demo as a user meets it in the real window: start it from the first-run screen, open a
//! new session, send a message, and see the simulator's reply arrive through the core's job tracker.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use fantoccini::Locator;

#[tokio::test]
async fn demo_from_first_run_to_a_chat_reply() {
    // Exports land in the home's Downloads folder (the app's default export folder).
    let home = support::AppHome::new();
    let downloads = home.downloads();
    let app = support::DesktopApp::launch_in(&home).await;
    app.wait_for_text("[data-testid=start-demo]", "demo").await;
    app.client
        .find(Locator::Css("[data-testid=start-demo]"))
        .await
        .expect("demo button")
        .click()
        .await
        .expect("click demo");
    app.wait_for_text("[data-testid=demo-badge]", "Offline demo").await;

    app.client
        .find(Locator::Css("[data-testid=new-session]"))
        .await
        .expect("new session button")
        .click()
        .await
        .expect("click new");
    let input = app.client.wait().for_element(Locator::Css("[data-testid=composer-input]")).await.expect("composer");
    input.send_keys("Draft a short memo about the quarterly budget").await.expect("type");
    app.client.find(Locator::Css("[data-testid=send]")).await.expect("send button").click().await.expect("click send");

    // The user's message, then the reply once the job completes (the sim's pace is 400 ms a step).
    app.wait_for_text("[data-testid=messages]", "quarterly budget").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let n = app.client.find_all(Locator::Css("[data-testid=message]")).await.map(|v| v.len()).unwrap_or(0);
        let job_running = app.client.find(Locator::Css("[data-testid=job-progress]")).await.is_ok();
        if n >= 2 && !job_running {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no reply within 30 s ({n} messages)");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let messages = app.client.find_all(Locator::Css("[data-testid=message]")).await.expect("messages");
    let reply = messages.last().expect("a reply").text().await.expect("reply text");
    assert!(
        !reply.trim().is_empty() && !reply.contains("Draft a short memo"),
        "the last message is the AI's reply: {reply:?}"
    );
    app.screenshot("demo-chat").await;

    // Review mode (the simulator's editor proposes a summary): the job stops at its proposed changes; the decisions go back and the job finishes.
    app.client
        .find(Locator::Css("[data-testid=review-toggle]"))
        .await
        .expect("review toggle")
        .click()
        .await
        .expect("check review");
    let input = app.client.find(Locator::Css("[data-testid=composer-input]")).await.expect("composer");
    input.send_keys("Add a summary").await.expect("type");
    app.client.find(Locator::Css("[data-testid=send]")).await.expect("send button").click().await.expect("click send");
    let card = app
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid=changes-card]"))
        .await;
    if card.is_err() {
        app.screenshot("demo-review-missing").await;
        panic!("the proposed changes were not shown for review (see artifacts/screenshots/demo-review-missing.png)");
    }
    app.screenshot("demo-review").await;
    app.client
        .find(Locator::Css("[data-testid=keep-all]"))
        .await
        .expect("keep all")
        .click()
        .await
        .expect("click keep all");
    app.client
        .find(Locator::Css("[data-testid=apply-decisions]"))
        .await
        .expect("apply")
        .click()
        .await
        .expect("click apply");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let n = app.client.find_all(Locator::Css("[data-testid=message]")).await.map(|v| v.len()).unwrap_or(0);
        let job_running = app.client.find(Locator::Css("[data-testid=job-progress]")).await.is_ok();
        if n >= 4 && !job_running {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the reviewed job did not finish within 30 s ({n} messages)");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.screenshot("demo-reviewed").await;

    // Export: the core renders and saves the file; progress comes over a Channel.
    {
        app.client
            .find(Locator::Css("[data-testid=export-button]"))
            .await
            .expect("export button")
            .click()
            .await
            .expect("click export");
        app.client
            .wait()
            .for_element(Locator::Css("[data-testid=export-run]"))
            .await
            .expect("export dialog")
            .click()
            .await
            .expect("click run");
        let saved = app
            .client
            .wait()
            .at_most(std::time::Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=export-saved]"))
            .await;
        let Ok(saved) = saved else {
            app.screenshot("demo-export-failed").await;
            panic!("the export did not finish (see artifacts/screenshots/demo-export-failed.png)");
        };
        let text = saved.text().await.expect("saved text");
        assert!(text.contains(&downloads.display().to_string()), "saved in the download folder: {text}");
        let files: Vec<_> = std::fs::read_dir(&downloads).expect("read downloads").filter_map(|e| e.ok()).collect();
        assert_eq!(files.len(), 1, "one exported file");
        assert!(files[0].metadata().expect("meta").len() > 0, "the exported file has content");
        app.screenshot("demo-exported").await;
    }
    app.close().await;
}
