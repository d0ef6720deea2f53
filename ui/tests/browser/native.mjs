// The app meeting the desktop (issue #13), against the mock backend: the start-up error screen, the
// network and logs settings. The real window's side (a damaged database, one instance, the log file) is
// tests/e2e_native.rs.
import assert from "node:assert/strict";
import { test } from "./harness.mjs";

const $ = (sel) => `[data-testid="${sel}"]`;
const calls = (page, cmd) => page.evaluate((c) => window.__mock.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

test("start-up failure: the reason, the folders, Try again, and Reset only after a confirmation", async ({ page, open, shot }) => {
  await open("startup=damaged");
  const screen = page.locator($("startup-error"));
  await screen.waitFor();
  assert.match(await screen.textContent(), /could not be opened/);
  assert.match(await screen.textContent(), /app\.superdocs\.desktop\/logs/);
  await shot("startup-error");
  await page.click($("startup-retry"));
  await page.waitForSelector("text=It still fails.");
  assert.equal(await page.locator($("startup-reset-confirm")).count(), 0, "no reset without asking");
  await page.click($("startup-reset"));
  assert.match(await page.textContent("[aria-label='Reset local data']"), /API keys stay in the system keyring/);
  await page.click($("startup-reset-confirm"));
  await page.waitForSelector($("connect-screen"));
  assert.equal((await calls(page, "reset_local_data")).length, 1);
});

test("settings → advanced: a manual proxy is saved, a bad one is refused with the reason, the password is not shown", async ({ page, open }) => {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  await page.keyboard.press("Control+,");
  await page.click($("settings-tab-advanced"));
  assert.ok(await page.isChecked($("proxy-system")), "the system's proxy by default");
  await page.fill($("proxy-url"), "proxy:3128");
  await page.click($("proxy-save"));
  await page.locator(`${$("settings-dialog")} ${$("error-card")}`).waitFor();
  assert.match(await page.textContent($("settings-dialog")), /proxy address is not valid/);
  assert.ok(await page.isChecked($("proxy-system")), "the saved setting stays");
  await page.fill($("proxy-url"), "http://ann:s3cret@proxy.corp:3128");
  await page.click($("proxy-save"));
  await page.waitForSelector($("proxy-current"));
  const shown = await page.textContent($("proxy-current"));
  assert.ok(shown.includes("ann") && !shown.includes("s3cret"), shown);
  const saved = await calls(page, "save_settings");
  assert.deepEqual(saved.at(-1).settings.network.proxy, { mode: "manual", url: "http://ann:s3cret@proxy.corp:3128" });
  await page.click($("ca-choose"));
  await page.waitForFunction(() => document.querySelector("[data-testid=ca-file]")?.value.endsWith("company-ca.pem"));
});

test("settings → advanced: detailed logging persists, the logs folder opens, diagnostics are copied", async ({ page, open }) => {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  await page.keyboard.press("Control+,");
  await page.click($("settings-tab-advanced"));
  await page.check($("debug-logging"));
  assert.equal((await calls(page, "save_settings")).at(-1).settings.debug_logging, true);
  await page.click($("open-logs"));
  assert.equal((await calls(page, "open_logs_folder")).length, 1);
  await page.click($("copy-diagnostics"));
  await page.waitForSelector("text=Diagnostics copied");
});

test("panes: a divider moved with the keys is saved as the user left it", async ({ page, open }) => {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  await page.focus("[aria-label='Resize the sessions pane']");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.focus("[aria-label='Resize the chat pane']");
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction(() => window.__mock.calls.filter((c) => c.cmd === "save_settings").length >= 3);
  const last = (await calls(page, "save_settings")).at(-1).settings.panes;
  assert.deepEqual(last, { sidebar: 272, chat: 376 });
});

test("open with: each file a launch hands over becomes a new session's document", async ({ page, open }) => {
  await open("profile=demo&open=/home/me/Documents/terms.pdf&open=/home/me/Documents/plan.docx");
  await page.waitForFunction(() => window.__mock.calls.filter((c) => c.cmd === "queue_uploads").length === 2);
  const queued = (await calls(page, "queue_uploads")).map((a) => [a.paths, a.mode]);
  assert.deepEqual(queued, [[["/home/me/Documents/terms.pdf"], "document"], [["/home/me/Documents/plan.docx"], "document"]]);
  const sessionsUsed = (await calls(page, "queue_uploads")).map((a) => a.sessionId);
  assert.notEqual(sessionsUsed[0], sessionsUsed[1], "one new session per file");
  assert.equal((await calls(page, "take_opened")).length >= 1, true);
});

test("native menu: New session, Export and the theme run the same actions as the keys", async ({ page, open }) => {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  const before = await page.locator($("session-item")).count();
  await page.evaluate(() => window.__mock.menu("new_session"));
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=session-item]").length === n + 1, before);
  await page.click(`${$("session-item")}:has-text("Master Services")`);
  await page.waitForSelector(`${$("document")} [data-chunk-id]`);
  await page.evaluate(() => window.__mock.menu("export"));
  await page.waitForSelector("[role=dialog]:has-text('Export')");
  await page.keyboard.press("Escape");
  await page.evaluate(() => window.__mock.menu("theme_dark"));
  await page.waitForFunction(() => window.__mock.calls.some((c) => c.cmd === "save_settings" && c.args.settings.theme === "dark"));
  await page.evaluate(() => window.__mock.menu("report_problem"));
  await page.waitForFunction(() => window.__mock.calls.some((c) => c.cmd === "open_url" && decodeURIComponent(c.args.url).includes("OS: mock")));
});

test("quit: nothing running quits at once; an upload running asks, Cancel keeps the app, Quit and resume later quits", async ({ page, open }) => {
  await open("profile=demo&pace=2000");
  await page.waitForSelector(`${$("document")} h1`);
  await page.evaluate(() => window.__mock.requestQuit());
  await page.waitForFunction(() => window.__mock.state.quit === true);
  assert.equal(await page.locator($("quit-dialog")).count(), 0, "no question when nothing runs");
  await page.evaluate(() => (window.__mock.state.quit = false));
  await page.evaluate(() => (window.__mock.state.nextPick = ["/home/me/Documents/big-report.pdf"]));
  await page.keyboard.press("Control+o");
  await page.waitForFunction(() => window.__mock.calls.some((c) => c.cmd === "queue_uploads"));
  await page.evaluate(() => window.__mock.requestQuit());
  await page.waitForSelector($("quit-dialog"));
  assert.match(await page.textContent($("quit-dialog")), /1 upload is still running/);
  await page.click($("quit-cancel"));
  await page.waitForFunction(() => window.__mock.calls.some((c) => c.cmd === "quit_cancelled"));
  assert.equal(await page.evaluate(() => window.__mock.state.quit), false);
  await page.evaluate(() => window.__mock.requestQuit());
  await page.click($("quit-now"));
  await page.waitForFunction(() => window.__mock.state.quit === true);
});

test("start: while list_profiles waits on the keyring, the loading screen says so after a moment, then the app opens", async ({ page, open }) => {
  await open("profile=demo&slow=list_profiles:3000");
  const wait = page.locator($("keyring-wait"));
  assert.equal((await wait.textContent()).trim(), "", "nothing to say in the first moment");
  await page.waitForSelector(`${$("keyring-wait")}:has-text("Waiting for the system keyring")`, { timeout: 2500 });
  assert.equal(await wait.getAttribute("role"), "status");
  assert.match(await wait.textContent(), /If your system asks you to unlock it, do so\./);
  await page.waitForSelector(`${$("document")} h1`);
  assert.equal(await wait.count(), 0, "gone once loaded");
});

test("start: a keyring locked at start names the profile on the first screen; Retry opens it once unlocked", async ({ page, open }) => {
  await open("unopened=keyring");
  const box = page.locator(`${$("unopened")}[data-kind=keyring]`);
  await box.waitFor();
  assert.match(await box.textContent(), /Unlock your keyring to use profile “Work”/);
  assert.equal(await box.getAttribute("role"), "alert");
  await page.waitForSelector($("connect-screen"));
  // Still locked: it stays, with the keyring's answer.
  await page.evaluate(() => window.__mock.fail("reopen_profile", "keyring", 1));
  await page.click($("reopen-profile"));
  await page.waitForFunction(() => window.__mock.calls.filter((c) => c.cmd === "reopen_profile").length === 1);
  await page.waitForSelector(`${$("reopen-profile")}:not([disabled])`);
  assert.ok(await box.isVisible(), "still locked");
  // Unlocked meanwhile: Retry opens the profile where it was.
  await page.click($("reopen-profile"));
  await page.waitForSelector(`${$("document")} h1`);
  assert.equal(await page.locator($("connect-screen")).count(), 0);
});

test("start: a key no longer stored is told apart: the profile's name is filled in to connect it again, no Retry", async ({ page, open }) => {
  await open("unopened=auth");
  const box = page.locator(`${$("unopened")}[data-kind=auth]`);
  await box.waitFor();
  assert.match(await box.textContent(), /No API key is stored for profile “Work” any more/);
  assert.equal(await page.locator($("reopen-profile")).count(), 0, "nothing to retry: the key is gone");
  assert.equal(await page.inputValue($("profile-name")), "Work");
});

async function awaitingReview(page, open) {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  await page.check($("review-toggle"));
  await page.fill($("composer-input"), "Make it formal");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector($("apply-decisions"), { timeout: 15000 });
  return page.evaluate(() => {
    const job = window.__mock.state.jobs.at(-1);
    return { job_id: job.job_id, session_id: job.session_id };
  });
}

test("notification: Approve all pressed on the notification approves every change through the review", async ({ page, open }) => {
  const job = await awaitingReview(page, open);
  const proposed = await page.locator(`${$("changes-card")} ${$("change")}`).count();
  await page.evaluate((j) => window.__mock.approveAll({ ...j, confirm: false }), job);
  await page.waitForSelector("text=All " + proposed + " changes approved.");
  const sent = await page.evaluate(() => window.__mock.calls.filter((c) => c.cmd === "approve_changes").map((c) => c.args));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].decisions.length, proposed);
  assert.ok(sent[0].decisions.every((d) => d.approved), "every change approved");
  assert.equal(await page.locator($("approve-all-dialog")).count(), 0, "the notification's button was the confirmation");
});

test("notification: without buttons on the notification the window asks first; Review first leaves the changes undecided", async ({ page, open }) => {
  const job = await awaitingReview(page, open);
  await page.evaluate((j) => window.__mock.approveAll({ ...j, confirm: true }), job);
  const dialog = page.locator($("approve-all-dialog"));
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Approve them all without reviewing\?/);
  await page.click($("approve-all-review"));
  assert.equal(await dialog.count(), 0);
  assert.equal(await page.evaluate(() => window.__mock.calls.filter((c) => c.cmd === "approve_changes").length), 0, "nothing sent");
  // Asked again, and confirmed this time.
  await page.evaluate((j) => window.__mock.approveAll({ ...j, confirm: true }), job);
  await page.click($("approve-all-confirm"));
  await page.waitForFunction(() => window.__mock.calls.some((c) => c.cmd === "approve_changes"));
});
