//! The `superdocs` binary end to end against an in-process simulator over loopback: `--json`
//! outputs, exit codes, chat, review, jobs, upload, export, and that the key is never printed.

mod support;

use std::path::Path;

use serde_json::Value;
use superdocs_sim::SimConfig;
use support::Env;

#[test]
fn every_command_has_help_and_bad_usage_exits_2() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["auth", "--help"],
        vec!["auth", "login", "--help"],
        vec!["auth", "status", "--help"],
        vec!["auth", "logout", "--help"],
        vec!["sessions", "--help"],
        vec!["history", "--help"],
        vec!["upload", "--help"],
        vec!["chat", "--help"],
        vec!["jobs", "--help"],
        vec!["jobs", "list", "--help"],
        vec!["jobs", "show", "--help"],
        vec!["jobs", "cancel", "--help"],
        vec!["jobs", "watch", "--help"],
        vec!["revert", "--help"],
        vec!["export", "--help"],
    ] {
        let out = env.run(&args);
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"), "{args:?}");
    }
    assert_eq!(env.run(&["chat", "--session", "s"]).status.code(), Some(2), "missing message");
    assert_eq!(env.run(&["export", "--session", "s", "--format", "odt"]).status.code(), Some(2));
    assert_eq!(
        env.run(&["chat", "--session", "s", "hi", "--approve-all"]).status.code(),
        Some(2),
        "--approve-all needs --review"
    );
}

#[test]
fn chat_end_to_end_then_sessions_history_jobs() {
    let env = Env::new();
    let done = env.json(&["chat", "--session", "cli-1", "Draft a project proposal"]);
    assert_eq!(done["status"], "completed");
    assert!(done["response"].as_str().unwrap().contains("Drafted"));
    assert!(done["usage"]["monthly_used"].as_u64().unwrap() >= 1);
    let job_id = done["job_id"].as_str().unwrap().to_string();

    let sessions = env.json(&["sessions"]);
    assert!(sessions.as_array().unwrap().iter().any(|s| s["session_id"] == "cli-1"));
    let history = env.json(&["history", "cli-1"]);
    assert_eq!(history["messages"].as_array().unwrap().len(), 2);

    let jobs = env.json(&["jobs", "list"]);
    assert!(jobs["jobs"].as_array().unwrap().iter().any(|j| j["job_id"] == job_id.as_str()));
    let shown = env.json(&["jobs", "show", &job_id]);
    assert_eq!(shown["status"], "completed");
    let watched = env.json(&["jobs", "watch", &job_id]);
    assert_eq!(watched["response"], done["response"], "watching a finished job replays it");

    // A finished job cannot be cancelled: a conflict, exit 5.
    let e = env.json_error(&["jobs", "cancel", &job_id], 5);
    assert_eq!(e["kind"], "conflict");

    // Human output: the reply on stdout, progress on stderr.
    let out = env.run(&["chat", "--session", "cli-1b", "Draft a memo"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Drafted"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("… "));
}

#[test]
fn sync_chat_and_revert() {
    let env = Env::new();
    let r = env.json(&[
        "chat",
        "--sync",
        "--session",
        "cli-sync",
        "Draft a memo",
        "--model-tier",
        "turbo",
        "--thinking-depth",
        "fast",
    ]);
    assert!(r["response"].as_str().unwrap().contains("Drafted"));
    let reverted = env.json(&["revert", "--session", "cli-sync", "--turn", "0"]);
    assert_eq!(reverted["reverted_to_turn"], -1);
    assert_eq!(reverted["compose_text"], "Draft a memo");
}

#[test]
fn review_approves_or_denies_every_change_by_flag() {
    let env = Env::new();
    let approved =
        env.json(&["chat", "--session", "cli-rev-1", "--review", "--approve-all", "Draft a project proposal"]);
    let applied = approved["applied"].as_array().unwrap();
    assert!(!applied.is_empty());
    assert!(approved["denied"].as_array().unwrap().is_empty());
    assert!(approved["response"].as_str().unwrap().contains(&format!(
        "Applied {} of {}",
        applied.len(),
        applied.len()
    )));

    let denied = env.json(&["chat", "--session", "cli-rev-2", "--review", "--deny-all", "Draft a project proposal"]);
    assert!(denied["applied"].as_array().unwrap().is_empty());
    assert!(denied["response"].as_str().unwrap().contains("Applied 0 of"));

    // Interactive review with no terminal to ask on: a clear usage-class error, nothing waits forever.
    let e = env.json_error(&["chat", "--session", "cli-rev-3", "--review", "Draft a memo"], 5);
    assert!(e["message"].as_str().unwrap().contains("--approve-all"));
}

#[test]
fn approve_all_finishes_whichever_way_the_service_announces_the_review() {
    // The issue's hang: changes announced one by one (no batch event) were shown and never approved.
    for announce in [superdocs_sim::ReviewAnnounce::OneByOne, superdocs_sim::ReviewAnnounce::OneByOneUntotalled] {
        let env = Env::with(SimConfig { review_announce: announce, ..Default::default() });
        let done =
            env.json(&["chat", "--session", "cli-rev-shape", "--review", "--approve-all", "Draft a project proposal"]);
        let applied = done["applied"].as_array().unwrap();
        assert!(!applied.is_empty(), "{announce:?}: {done}");
        assert_eq!(done["status"], "completed");
        assert!(
            done["response"].as_str().unwrap().contains(&format!("Applied {n} of {n}", n = applied.len())),
            "{announce:?}: {done}"
        );
    }
}

#[test]
fn upload_then_export_to_a_folder_and_a_file() {
    let env = Env::new();
    let doc =
        env.write("notes.md", "# Quarterly notes\n\nRevenue grew. Costs fell.\n\n## Next steps\n\nHire two people.\n");
    let up = env.json(&["upload", doc.to_str().unwrap(), "--session", "cli-exp"]);
    assert_eq!(up[0]["ok"], true, "{up}");

    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("report.pdf");
    let saved = env.json(&[
        "export",
        "--session",
        "cli-exp",
        "--format",
        "pdf",
        "--output",
        target.to_str().unwrap(),
        "--paper-size",
        "A4",
        "--watermark",
        "DRAFT",
    ]);
    assert_eq!(saved["kind"], "saved");
    assert_eq!(Path::new(saved["path"].as_str().unwrap()), target);
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));

    let saved =
        env.json(&["export", "--session", "cli-exp", "--format", "docx", "--output", out_dir.path().to_str().unwrap()]);
    let docx = Path::new(saved["path"].as_str().unwrap());
    assert_eq!(docx.parent().unwrap(), out_dir.path());
    assert!(std::fs::read(docx).unwrap().starts_with(b"PK"), "a docx is a zip");

    // The second export to the same file name does not overwrite the first.
    let again = env.json(&["export", "--session", "cli-exp", "--format", "pdf", "--output", target.to_str().unwrap()]);
    assert_ne!(Path::new(again["path"].as_str().unwrap()), target);
}

#[test]
fn an_export_over_the_cap_is_emailed() {
    let env = Env::with(SimConfig { export_cap_bytes: 200, ..SimConfig::default() });
    let doc = env.write("long.md", &"A paragraph of text that makes the export large enough. ".repeat(40));
    assert_eq!(env.json(&["upload", doc.to_str().unwrap(), "--session", "cli-mail"])[0]["ok"], true);
    let out = env.json(&["export", "--session", "cli-mail", "--format", "pdf", "--email-to", "me@example.com"]);
    assert_eq!(out["kind"], "emailed");
    assert_eq!(out["recipient"], "me@example.com");
    // The e-mail goes out when the background render finishes.
    let mut outbox = env.sim.outbox();
    for _ in 0..500 {
        if !outbox.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        outbox = env.sim.outbox();
    }
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].to, "me@example.com");
}

#[test]
fn refused_files_exit_5_and_send_nothing() {
    let env = Env::new();
    let old = env.write("old.doc", "legacy");
    let empty = env.write("empty.txt", "");
    for (file, kind) in [(&old, "unsupported_file"), (&empty, "validation")] {
        let e = env.json_error(&["upload", file.to_str().unwrap(), "--session", "cli-up"], 5);
        assert_eq!(e["kind"], kind, "{e}");
    }
    assert_eq!(env.sim.stats().count("POST", "/v1/*"), 0, "refused before a byte was sent");
    // Not on the profile's upload queue: a refused file is no upload to send again (the app's rule too).
    let layout = superdocs_client::layout::DataLayout::new(env.data.path());
    assert!(layout.open_profile("default").unwrap().uploads().unwrap().is_empty());
}

#[test]
fn a_bad_key_exits_3_with_a_json_error_and_never_shows_the_key() {
    let env = Env::new();
    let wrong = "sk_00000000000000000000000000009999";
    let out = env.cmd().env("SUPERDOCS_API_KEY", wrong).args(["--json", "sessions"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty(), "nothing on stdout on failure");
    let err: Value = serde_json::from_slice(out.stderr.trim_ascii_end()).unwrap();
    assert_eq!(err["kind"], "auth");
    assert_eq!(err["suggested_action"], "reenter_key");
    assert!(err["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    for bytes in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(bytes).contains("00000000000000000000000000009999"));
    }

    // A malformed key is refused locally, without echoing it.
    let out = env
        .cmd()
        .env("SUPERDOCS_API_KEY", "sk_not-a-key-but-secret-looking")
        .args(["--json", "sessions"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not-a-key-but-secret-looking"));
    assert_eq!(env.sim.stats().count("GET", "/v1/sessions"), 1, "only the well-formed key was sent");
}

#[test]
fn quota_used_up_exits_4() {
    let env = Env::new();
    env.sim.set_monthly_used(env.sim.key(), 500);
    let e = env.json_error(&["chat", "--session", "cli-q", "Draft a memo"], 4);
    assert_eq!(e["kind"], "quota");
    assert_eq!(e["suggested_action"], "upgrade_plan");
    assert_eq!(env.sim.stats().count("POST", "/v1/chat/async"), 1, "a quota error is not retried");
}

#[test]
fn a_cancelled_job_exits_7_when_watched() {
    use superdocs_client::retry::CallOptions;
    use superdocs_client::types::{ApprovalMode, ChatRequest};
    let env = Env::new();
    // A review-mode job waits for decisions, so it is still running when cancelled.
    let client = superdocs_client::Client::new(superdocs_client::ClientConfig::new(
        env.sim.base_url(),
        superdocs_client::ApiKey::parse(env.sim.key()).unwrap(),
    ))
    .unwrap();
    let mut req = ChatRequest::new("cli-cancel", "Draft a project proposal");
    req.approval_mode = Some(ApprovalMode::AskEveryTime);
    let job = env.rt.block_on(client.chat_async(&req, &CallOptions::default())).unwrap();

    // Another job waiting for review is decided from `jobs watch`.
    let mut other = req.clone();
    other.session_id = "cli-watch-approve".into();
    let waiting = env.rt.block_on(client.chat_async(&other, &CallOptions::default())).unwrap();
    let done = env.json(&["jobs", "watch", &waiting.job_id, "--approve-all"]);
    assert_eq!(done["status"], "completed");
    assert!(!done["applied"].as_array().unwrap().is_empty());

    let cancelled = env.json(&["jobs", "cancel", &job.job_id]);
    assert_eq!(cancelled["status"], "cancelled");
    let e = env.json_error(&["jobs", "watch", &job.job_id], 7);
    assert_eq!(e["kind"], "cancelled");
}

/// Runs `args` in a pseudo-terminal (util-linux `script`), typing `answers`; returns what the terminal showed.
fn in_terminal(env: &Env, args: &[&str], answers: &str) -> (std::process::ExitStatus, String) {
    use std::io::Write;
    let bin = assert_cmd::cargo::cargo_bin("superdocs");
    let quoted: Vec<String> = std::iter::once(bin.display().to_string())
        .chain(["--base-url", env.sim.base_url()].into_iter().map(String::from))
        .chain(args.iter().map(|a| a.to_string()))
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let mut child = std::process::Command::new("script")
        .args(["--quiet", "--return", "--command", &quoted.join(" "), "/dev/null"])
        .env("SUPERDOCS_API_KEY", env.sim.key())
        .env("SUPERDOCS_DATA_DIR", env.data.path())
        .env_remove("SUPERDOCS_PROFILE")
        .env_remove("SUPERDOCS_BASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux)");
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    env.assert_no_key(&out);
    (out.status, String::from_utf8_lossy(&out.stdout).replace('\r', ""))
}

#[test]
fn interactive_review_asks_for_each_change_in_a_terminal() {
    let env = Env::new();
    // Keep the first, a wrong answer asked again, discard the second, keep the rest.
    let answers = format!("y\nmaybe\nn\n{}", "y\n".repeat(30));
    let (status, screen) =
        in_terminal(&env, &["chat", "--session", "cli-ask-1", "--review", "Draft a project proposal"], &answers);
    assert!(status.success(), "{screen}");
    let asked = screen.matches("Apply change").count();
    assert!(asked >= 3, "one question per change, and the wrong answer asked again: {screen}");
    assert!(screen.contains("Answer y or n."), "{screen}");
    let changes = asked - 1;
    assert!(screen.contains(&format!("applied {}, denied 1", changes - 1)), "{screen}");
    assert!(
        screen.contains(&format!("Applied {} of {changes}", changes - 1)),
        "the job finished with those decisions: {screen}"
    );
}
