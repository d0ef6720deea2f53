//! Big documents for the review test and the UI benchmark: a document of N pages (12 paragraphs each,
//! each with one informal word, so "Make it formal" proposes one edit per paragraph), uploaded to a
//! session of the simulator as the user's document; and an in-page probe that times what the window
//! shows and its longest main-thread stall (a 5 ms heartbeat).

use std::path::Path;
use std::time::Duration;

use superdocs_client::retry::CallOptions;
use superdocs_client::types::OpenMode;
use superdocs_client::upload::UploadKind;
use superdocs_client::{ApiKey, Client, ClientConfig};

use super::DesktopApp;

pub const PARAGRAPHS_PER_PAGE: usize = 12;

/// A document of `pages` pages: a title, then 12 paragraphs a page, each with one contraction.
pub fn formal_document(pages: usize) -> String {
    let mut html = format!("<h1>Bench document of {pages} pages</h1>\n");
    for i in 0..pages * PARAGRAPHS_PER_PAGE {
        html.push_str(&format!(
            "<p>Paragraph {i} of the report: the figures we don't repeat here were reviewed by the team, and \
             the numbers in this part stay as they were in the earlier draft of the quarter.</p>\n"
        ));
    }
    html
}

/// Uploads `html` as the document of session `session_id` (the user's key), as the window would.
pub async fn seed_document(sim: &superdocs_sim::SimHandle, session_id: &str, html: &str, dir: &Path) {
    let client =
        Client::new(ClientConfig::new(sim.base_url(), ApiKey::parse(sim.key()).expect("sim key"))).expect("client");
    let path = dir.join(format!("{session_id}.html"));
    std::fs::write(&path, html).expect("write the document");
    client
        .upload_file(
            &path,
            session_id,
            UploadKind::Document { open_mode: OpenMode::Replace },
            None,
            &CallOptions::default(),
        )
        .await
        .expect("the document uploads");
}

/// Installs the probe: `__bench.start()` resets the clock and the stall record, `__bench.watch(first, done,
/// mid)` records when `first`, `mid` (optional) and `done` hold (each `[css, n]`: at least n elements
/// match), checked every frame; the heartbeat records the longest gap past its 5 ms period.
pub async fn install_probe(app: &DesktopApp) {
    let js = r#"
        if (!window.__bench) {
          const b = { t0: performance.now(), max: 0, last: performance.now(), first: null, mid: null, done: null, id: 0 };
          setInterval(() => { const now = performance.now(); b.max = Math.max(b.max, now - b.last - 5); b.last = now; }, 5);
          const holds = (spec) => spec && document.querySelectorAll(spec[0]).length >= spec[1];
          b.start = () => { b.t0 = performance.now(); b.max = 0; b.last = b.t0; b.first = null; b.mid = null; b.done = null; b.id++; };
          b.watch = (first, done, mid) => {
            const id = b.id;
            const tick = () => {
              if (id !== b.id) return;
              const now = performance.now() - b.t0;
              if (b.first == null && holds(first)) b.first = now;
              if (b.mid == null && holds(mid)) b.mid = now;
              if (holds(done)) { b.done = now; if (b.first == null) b.first = now; if (mid && b.mid == null) b.mid = now; return; }
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          };
          b.read = () => ({ first: b.first, mid: b.mid, done: b.done, stall: b.max });
          window.__bench = b;
        }
    "#;
    app.client.execute(js, vec![]).await.expect("install the probe");
}

/// What the probe measured: milliseconds until `first` and `done` held, and the longest stall.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub first_ms: f64,
    /// When the optional middle condition held (e.g. every change arrived, before all are drawn).
    pub mid_ms: Option<f64>,
    pub done_ms: f64,
    pub stall_ms: f64,
}

/// Runs `action` (page script) right after starting the clock, then waits (up to `within`) until `done`.
pub async fn timed(
    app: &DesktopApp,
    action: &str,
    first: (&str, usize),
    done: (&str, usize),
    within: Duration,
) -> Timing {
    timed_via(app, action, first, None, done, within).await
}

/// As `timed`, also recording when `mid` held.
pub async fn timed_via(
    app: &DesktopApp,
    action: &str,
    first: (&str, usize),
    mid: Option<(&str, usize)>,
    done: (&str, usize),
    within: Duration,
) -> Timing {
    let js = format!(
        "__bench.start(); __bench.watch([arguments[0], arguments[1]], [arguments[2], arguments[3]], \
         arguments[4] ? [arguments[4], arguments[5]] : null); {action}"
    );
    let (mid_css, mid_n) = mid.map_or((String::new(), 0), |(c, n)| (c.to_string(), n));
    let args = vec![first.0.into(), first.1.into(), done.0.into(), done.1.into(), mid_css.into(), mid_n.into()];
    app.client.execute(&js, args).await.expect("start the timed action");
    let deadline = std::time::Instant::now() + within;
    loop {
        let v = app.client.execute("return __bench.read()", vec![]).await.expect("read the probe");
        if let Some(done) = v["done"].as_f64() {
            return Timing {
                first_ms: v["first"].as_f64().unwrap_or(done),
                mid_ms: v["mid"].as_f64(),
                done_ms: done,
                stall_ms: v["stall"].as_f64().unwrap_or(0.0),
            };
        }
        if std::time::Instant::now() > deadline {
            panic!("{done:?} did not hold within {within:?} (first: {:?})", v["first"]);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Filters the sidebar to the one session `session_id` (its row is then the only one).
pub async fn filter_sessions(app: &DesktopApp, session_id: &str) {
    app.type_into("[aria-label='Filter sessions']", session_id).await;
    app.wait_until("the session listed", Duration::from_secs(60), || async {
        app.count("[data-testid=session-item]").await == 1
    })
    .await;
}
