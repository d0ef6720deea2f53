// The window while the service is out of reach for a running job (the tracker's `reconnecting` /
// `reconnected` job events, driven by the mock's goOffline / comeBack): a calm status strip with the next
// try and Try now, the rest of the app usable, Stop ending the job here, "Back online" when it returns.
import assert from "node:assert/strict";
import { test } from "./harness.mjs";

const $ = (sel) => `[data-testid="${sel}"]`;
const calls = (page, cmd) => page.evaluate((c) => window.__mock.calls.filter((x) => x.cmd === c).length, cmd);

/** The demo with a job running in the open session (slow steps, so it is still running when the network goes). */
async function runningJob(page, open) {
  await open("profile=demo&pace=400");
  await page.waitForSelector(`${$("document")} h1`);
  await page.fill($("composer-input"), "Draft a memo");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector(`${$("job-progress")} >> text=Reading the document`);
}

test("offline mid-job: 'Offline — retrying in 8 s', Try now, the app stays usable, back online finishes the job", async ({ page, open, shot }) => {
  await runningJob(page, open);
  assert.equal(await page.locator($("offline-notice")).count(), 0, "no strip while online");
  await page.evaluate(() => window.__mock.goOffline());
  const strip = page.locator($("offline-notice"));
  await strip.waitFor();
  assert.match(await strip.textContent(), /Offline —\s*retrying in [78] s/);
  assert.equal(await page.locator(`${$("error-card")}`).count(), 0, "nothing failed: no error card, no toast");
  await shot("offline-retrying");

  // Local things work meanwhile: another session opens, the settings open and close, the job stays shown.
  await page.click(`${$("session-item")}:has-text("Master Services")`);
  await page.waitForSelector(`${$("document")} h1:has-text("Master Services Agreement")`);
  await page.keyboard.press("Control+,");
  await page.waitForSelector($("settings-dialog"));
  await page.keyboard.press("Escape");
  await page.waitForSelector($("settings-dialog"), { state: "detached" });
  await page.click(`${$("session-item")} >> nth=0`);
  await page.waitForSelector($("job-progress"));

  // Try now: the tracker tries at once; still offline, it names the next (longer) wait.
  await page.click($("offline-try-now"));
  assert.equal(await calls(page, "retry_jobs_now"), 1);
  await page.waitForFunction(() => /retrying in 1[56] s/.test(document.querySelector('[data-testid="offline-next-try"]')?.textContent ?? ""));

  // Back online: the strip says so, goes, and the job finishes in the window.
  await page.evaluate(() => window.__mock.comeBack());
  await page.waitForSelector($("back-online"));
  assert.equal(await strip.count(), 0);
  await page.waitForSelector("text=Done: finished after the connection came back.");
  await page.waitForSelector($("job-progress"), { state: "detached" });
  await page.waitForSelector($("back-online"), { state: "detached", timeout: 10_000 });
});

test("Stop while offline ends the job in the window and the offline strip with it", async ({ page, open }) => {
  await runningJob(page, open);
  await page.evaluate(() => window.__mock.goOffline());
  await page.waitForSelector($("offline-notice"));
  await page.click($("cancel-job"));
  await page.waitForSelector($("job-progress"), { state: "detached" });
  await page.waitForSelector($("offline-notice"), { state: "detached" });
  assert.equal(await page.locator($("back-online")).count(), 0, "a stop is not a reconnect");
  assert.equal(await page.inputValue($("composer-input")), "", "the composer is free again");
  assert.ok(await page.isEnabled($("composer-input")));
});
