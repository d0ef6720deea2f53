// ad-hoc (not committed): profile one Keep with N changes in the mock build
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { resolve, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(here, "../../dist-mock");
const T = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
const server = createServer(async (req, res) => { const u = new URL(req.url, "http://x"); const f = resolve(DIST, "." + (u.pathname === "/" ? "/index.html" : u.pathname)); let b; try { b = await readFile(f); } catch { return res.writeHead(404).end(); } res.writeHead(200, { "content-type": T[extname(f)] ?? "application/octet-stream" }).end(b); });
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const N = Number(process.env.N ?? 3600);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`http://127.0.0.1:${server.address().port}/?profile=demo&paras=${N}&pace=5`);
await page.waitForSelector(`[data-testid="document"] [data-chunk-id="b${N - 1}"]`);
await page.click('[data-testid="review-toggle"]');
await page.fill('[data-testid="composer-input"]', "Make it formal");
await page.click('[data-testid="send"]');
await page.waitForFunction((n) => document.querySelectorAll('[data-testid="document"] .change').length >= n, N, { timeout: 120000 });
await page.waitForTimeout(1000);
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable"); await cdp.send("Profiler.start");
const t = await page.evaluate(async () => {
  const t0 = performance.now();
  document.querySelector('[data-testid=document] [data-change-action=keep]').click();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const t1 = performance.now();
  document.querySelector('[data-testid=keep-all]').click();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return [t1 - t0, performance.now() - t1];
});
const { profile } = await cdp.send("Profiler.stop");
console.log("keep one / keep all ms", t);
const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; for (let i = 0; i < profile.samples.length; i++) { const n = byId.get(profile.samples[i]); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join("\n"));
await browser.close(); server.close();
