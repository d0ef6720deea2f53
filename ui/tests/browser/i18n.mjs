// Translations: the window follows the OS language (the mock's `system_locale` answers navigator.language)
// unless Settings → General names one, switches at once when it does, and stays accessible in German.
import assert from "node:assert/strict";
import { test } from "./harness.mjs";
import { audit } from "./a11y.mjs";

const $ = (sel) => `[data-testid="${sel}"]`;
const calls = (page, cmd) => page.evaluate((c) => window.__mock.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
const dialogTitle = (page) => page.textContent(`${$("settings-dialog")} h2`);
const generalTab = (page) => page.textContent($("settings-tab-general"));

test("i18n: the first-run screen follows the OS language (German)", async ({ page, open, shot }) => {
  await page.addInitScript(() => Object.defineProperty(navigator, "language", { get: () => "de-DE" }));
  await open();
  await page.waitForSelector($("connect-screen"));
  await page.waitForSelector("text=Mit SuperDocs verbinden");
  assert.ok(await page.isVisible("text=Offline-Demo ausprobieren"));
  assert.equal(await page.evaluate(() => document.documentElement.lang), "de");
  await shot("de-connect");
});

test("i18n: Settings → General names the language; the window switches at once and back to the system's", async ({ page, open }) => {
  await open("profile=demo");
  await page.waitForSelector(`${$("document")} h1`);
  await page.keyboard.press("Control+,");
  await page.waitForSelector($("settings-dialog"));
  await page.click($("settings-tab-general"));
  const select = page.locator($("language-select"));
  assert.equal(await select.inputValue(), "", "a new window follows the system");
  assert.deepEqual(
    (await select.locator("option").allTextContents()).map((s) => s.trim()),
    ["As the system (English)", "English", "Deutsch"],
  );
  assert.equal(await dialogTitle(page), "Settings");

  await select.selectOption("de");
  await page.waitForFunction(() => document.documentElement.lang === "de");
  assert.equal(await dialogTitle(page), "Einstellungen");
  assert.equal((await generalTab(page)).trim(), "Allgemein");
  assert.ok(await page.isVisible(`${$("settings-dialog")} >> text=Benachrichtigungen`));
  assert.equal((await select.locator("option").first().textContent()).trim(), "Wie das System (English)");
  assert.equal((await page.textContent(`${$("settings-dialog")} label[for=language]`)).trim(), "Sprache");
  assert.equal((await calls(page, "save_settings")).at(-1).settings.language, "de");

  await select.selectOption({ index: 0 });
  await page.waitForFunction(() => document.documentElement.lang === "en");
  assert.equal(await dialogTitle(page), "Settings");
  assert.equal((await generalTab(page)).trim(), "General");
  assert.equal((await select.locator("option").first().textContent()).trim(), "As the system (English)");
  assert.equal((await calls(page, "save_settings")).at(-1).settings.language, null);
});

test("i18n: German main screen and settings pass axe (screenshots de-main, de-settings-*)", async ({ page, open, shot }) => {
  await open("profile=demo&lang=de");
  await page.waitForSelector(`${$("document")} h1`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "de");
  await audit(page, "de main");
  await shot("de-main");
  await page.keyboard.press("Control+,");
  await page.waitForSelector($("settings-dialog"));
  assert.equal(await dialogTitle(page), "Einstellungen");
  for (const tab of ["profiles", "defaults", "general", "advanced"]) {
    await page.click($(`settings-tab-${tab}`));
    await audit(page, `de settings ${tab}`);
    await shot(`de-settings-${tab}`);
  }
  await page.click($("settings-tab-general"));
  assert.equal(await page.inputValue($("language-select")), "de");
});
