// Accessibility of every main screen (issue #13): axe-core (Deque's rules, WCAG 2.1 A/AA) over the real UI
// against the mock backend. A serious or critical violation fails the test and names the element.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { test } from "./harness.mjs";

const $ = (sel) => `[data-testid="${sel}"]`;
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe on the page as it is now; fails on serious and critical violations (also used by i18n.mjs). */
export async function audit(page, screen) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  // One line per finding: the harness keeps only the first lines of a failure.
  assert.deepEqual(blocking, [], `${screen}: ${JSON.stringify(blocking)}`);
  return violations;
}

async function openDemo(page, open, query = "") {
  await open(`profile=demo&${query}`);
  await page.waitForSelector(`${$("document")} h1`);
}

test("a11y: the first-run screen", async ({ page, open }) => {
  await open();
  await page.waitForSelector($("connect-screen"));
  await audit(page, "connect");
});

test("a11y: the main screen with a document, the activity drawer and the jump dialog", async ({ page, open }) => {
  await openDemo(page, open);
  await audit(page, "main");
  await page.keyboard.press("Control+k");
  await page.waitForSelector("[role=dialog]");
  await audit(page, "jump");
});

test("a11y: review mode with proposed changes", async ({ page, open }) => {
  await openDemo(page, open);
  await page.check($("review-toggle"));
  await page.fill($("composer-input"), "Make it formal");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector("[data-change-id]", { timeout: 15000 });
  await audit(page, "review");
});

test("a11y: settings, every tab, and the export dialog", async ({ page, open }) => {
  await openDemo(page, open);
  await page.keyboard.press("Control+,");
  await page.waitForSelector($("settings-dialog"));
  for (const tab of ["profiles", "defaults", "general", "advanced"]) {
    await page.click($(`settings-tab-${tab}`));
    await audit(page, `settings ${tab}`);
  }
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+e");
  await page.waitForSelector("[role=dialog]:has-text('Export')");
  await audit(page, "export");
});

test("a11y: an error card and the start-up error screen", async ({ page, open }) => {
  await open("fail=list_profiles:keyring:1");
  await page.waitForSelector($("error-card"));
  await audit(page, "error card");
  await open("startup=damaged");
  await page.waitForSelector($("startup-error"));
  await audit(page, "start-up error");
});

test("a11y: the dark theme, main screen and review", async ({ page, open }) => {
  await openDemo(page, open, "theme=dark");
  await audit(page, "dark main");
  await page.check($("review-toggle"));
  await page.fill($("composer-input"), "Make it formal");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector("[data-change-id]", { timeout: 15000 });
  await audit(page, "dark review");
});
