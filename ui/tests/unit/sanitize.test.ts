import { describe, expect, it } from "vitest";
import { sanitizeHtml, htmlToText, externalHref } from "../../src/lib/sanitize";

describe("sanitizeHtml", () => {
  const hostile = `<h1 data-chunk-id="c1" onclick="alert(1)">Title</h1>
    <script>window.pwned = 1</script>
    <p data-chunk-id="c2" style="background:url(https://evil.test/x.png)">Text <a href="javascript:alert(1)">bad</a> <a href="https://ok.test/">ok</a></p>
    <img src="https://evil.test/track.gif" onerror="alert(2)">
    <img src="data:image/png;base64,iVBORw0KGgo=">
    <form action="https://evil.test/"><input name="q"><button>go</button></form>
    <iframe src="https://evil.test/"></iframe><svg><script>alert(3)</script></svg>
    <a href="  JaVaScRiPt:alert(4)">x</a><table background="https://evil.test/bg.png"><tr><td>t</td></tr></table>`;
  const clean = sanitizeHtml(hostile);
  const box = document.createElement("div");
  box.innerHTML = clean;

  it("keeps the chunk ids and the text", () => {
    expect(box.querySelector('[data-chunk-id="c1"]')?.textContent).toBe("Title");
    expect(box.querySelector('[data-chunk-id="c2"]')).not.toBeNull();
  });
  it("drops scripts, handlers, forms, frames, svg and inline styles", () => {
    expect(clean).not.toMatch(/<script|onclick|onerror|<form|<input|<button|<iframe|<svg|style=/i);
  });
  it("removes javascript: links and keeps http links", () => {
    const hrefs = [...box.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual([null, "https://ok.test/", null]);
  });
  it("blocks remote images but keeps inline ones", () => {
    const imgs = [...box.querySelectorAll("img")];
    expect(imgs[0].getAttribute("src")).toBeNull();
    expect(imgs[0].getAttribute("data-blocked-src")).toBe("https://evil.test/track.gif");
    expect(imgs[1].getAttribute("src")).toMatch(/^data:image\/png/);
    expect(clean).not.toContain("background=");
  });
  it("plain text for previews", () => {
    expect(htmlToText("<p>a <b>b</b></p><script>x</script>")).toBe("a b");
  });
  it("opens only http(s) and mailto links externally", () => {
    expect(externalHref("https://a.test")).toBe("https://a.test");
    expect(externalHref("mailto:x@y.z")).toBe("mailto:x@y.z");
    expect(externalHref("javascript:alert(1)")).toBeNull();
    expect(externalHref("file:///etc/passwd")).toBeNull();
    expect(externalHref(null)).toBeNull();
  });
});
