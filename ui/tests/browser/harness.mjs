// A small browser-test harness: serves dist-mock/ on loopback, drives Debian's chromium through
// playwright-core (no browser downloads), one fresh page per test, screenshots into
// ../artifacts/ui-screenshots/. Exits non-zero when a test fails.
import { createServer } from "node:http";
import { readFile, readdir, mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, extname, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
// MOCK_DIST: another build of the mock (several checkouts or agents testing side by side).
const DIST = process.env.MOCK_DIST ? resolve(process.env.MOCK_DIST) : resolve(here, "../../dist-mock");
export const SHOTS = resolve(here, "../../../artifacts/ui-screenshots");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };

function serve() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname === "/" ? "/index.html" : url.pathname;
    const file = resolve(DIST, "." + path);
    if (!file.startsWith(DIST)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const tests = [];
export function test(name, fn) {
  tests.push({ name, fn });
}

export async function run() {
  const only = process.env.ONLY;
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = await mkdtemp(join(tmpdir(), "sd-ui-chromium-"));
  await mkdir(SHOTS, { recursive: true });
  // Failure shots of an earlier run would read as failures of this one.
  for (const f of await readdir(SHOTS)) if (f.startsWith("FAILED-")) await rm(join(SHOTS, f));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1280, height: 800 },
    reducedMotion: "reduce", // screenshots show settled panels, not mid-animation frames
  });
  // Nothing may leave the machine: any request not to our server fails the test that made it.
  const offsite = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith("data:")) return route.continue();
    offsite.push(u);
    return route.abort();
  });
  let failed = 0;
  let passed = 0;
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
    offsite.length = 0;
    const open = async (query = "", size) => {
      if (size) await page.setViewportSize(size);
      const q = new URLSearchParams(query);
      if (!q.has("pace")) q.set("pace", "40"); // the mock's pace between job steps, fast for tests
      await page.goto(`${base}?${q}`);
      await page.waitForSelector(".app");
    };
    const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
    const started = Date.now();
    try {
      await t.fn({ page, open, shot, offsite, errors });
      if (errors.length) throw new Error(`page errors: ${errors.join(" | ")}`);
      passed++;
      console.log(`  ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  FAIL ${t.name}\n       ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n       ")}`);
      await shot(`FAILED-${t.name.replace(/\W+/g, "-")}`).catch(() => {});
    } finally {
      await page.close();
    }
  }
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
  console.log(`\nbrowser tests: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
