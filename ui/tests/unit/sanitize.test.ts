import { describe, expect, it } from "vitest";
import { sanitizeHtml, htmlToText, externalHref, safeMailto } from "../../src/lib/sanitize";

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
  it("opens only https and mailto links externally", () => {
    expect(externalHref("https://a.test")).toBe("https://a.test");
    expect(externalHref("mailto:x@y.z")).toBe("mailto:x@y.z");
    expect(externalHref("http://a.test")).toBeNull();
    expect(externalHref("javascript:alert(1)")).toBeNull();
    expect(externalHref("file:///etc/passwd")).toBeNull();
    expect(externalHref(null)).toBeNull();
  });
});

function render(html: string): HTMLElement {
  const box = document.createElement("div");
  box.innerHTML = sanitizeHtml(html);
  return box;
}

describe("the allow-list against hostile documents", () => {
  it("removes map and area, and href on anything but <a>", () => {
    const box = render(`<img src="data:image/png;base64,iVBORw0KGgo=" usemap="#m"><map name="m"><area shape="default" href="https://evil.test/"></map>
      <p href="https://evil.test/" data-chunk-id="c1">p</p><img href="https://evil.test/" src="x">`);
    expect(box.querySelector("map, area, [usemap]")).toBeNull();
    expect(box.querySelectorAll("[href]").length).toBe(0);
  });
  it("drops data-change-* and the other attributes the app acts on, keeps the service's data-*", () => {
    const box = render(`<p data-chunk-id="c1" data-x="1" data-change-action="keep" data-change-id="ch1" data-testid="document" data-tauri-drag-region role="dialog" aria-modal="true">t</p>`);
    const p = box.querySelector("p")!;
    expect([...p.attributes].map((a) => a.name).sort()).toEqual(["data-chunk-id", "data-x"]);
  });
  it("drops classes and prefixes ids, so the app's look and ids cannot be borrowed", () => {
    const box = render(`<div class="dialog error-card" id="connect-screen" data-chunk-id="c1">Session expired</div>`);
    const div = box.querySelector("div")!;
    expect(div.getAttribute("class")).toBeNull();
    expect(div.id).toBe("user-content-connect-screen");
  });
  it("keeps harmless styles and drops any that load or position", () => {
    const box = render(`<p style="text-align:center">a</p><p style="background:url(https://evil.test/x)">b</p>
      <p style="background:u\\72l(https://evil.test/x)">c</p><p style="position:fixed;inset:0">d</p><p style="background-image:image-set('x.png' 1x)">e</p>`);
    const styles = [...box.querySelectorAll("p")].map((p) => p.getAttribute("style"));
    expect(styles).toEqual(["text-align:center", null, null, null, null]);
  });
  it("keeps only the subject and body of a mailto: link", () => {
    const box = render(`<a href="mailto:a@b.test?subject=Hi%20there&attach=/etc/passwd&cc=x@evil.test&body=Text">m</a>`);
    expect(box.querySelector("a")!.getAttribute("href")).toBe("mailto:a@b.test?subject=Hi%20there&body=Text");
    expect(safeMailto("mailto:?attach=~/.ssh/id_rsa")).toBe("mailto:");
    expect(safeMailto("MAILTO:a@b.test?Attach=x&SUBJECT=s")).toBe("mailto:a@b.test?subject=s");
  });
});

describe("the allow-list keeps what the service's HTML needs", () => {
  const service = `<h1 data-chunk-id="c1">Q4 Report</h1>
    <h2 data-chunk-id="c2">Summary</h2><h3 data-chunk-id="c3">Detail</h3>
    <p data-chunk-id="c4">Revenue <strong>grew</strong> <em>15%</em>, <b>b</b> <i>i</i> <u>u</u> <s>s</s> <sub>2</sub><sup>3</sup> <code>x</code> <a href="https://superdocs.app/">link</a><br>next</p>
    <ul data-chunk-id="c5"><li>one</li><li>two<ol start="3"><li>nested</li></ol></li></ul>
    <ol data-chunk-id="c6"><li>first</li></ol>
    <blockquote data-chunk-id="c7">quoted</blockquote>
    <table data-chunk-id="c8"><thead><tr><th colspan="2" scope="col">Head</th></tr></thead><tbody><tr><td rowspan="1">a</td><td>b</td></tr></tbody></table>
    <pre data-chunk-id="c9">code</pre><hr data-chunk-id="c10"><p data-chunk-id="c11" style="text-align:right">right</p>
    <figure data-chunk-id="c12"><img src="data:image/png;base64,iVBORw0KGgo=" alt="chart"><figcaption>Chart</figcaption></figure>`;
  const clean = sanitizeHtml(service);
  const box = render(service);

  it("keeps data-chunk-id on every block", () => {
    expect([...box.querySelectorAll("[data-chunk-id]")].map((e) => e.getAttribute("data-chunk-id"))).toEqual(
      ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12"],
    );
  });
  it("keeps headings, lists, tables, quotes, figures and inline formatting", () => {
    for (const sel of ["h1", "h2", "h3", "ul > li", "ol[start='3'] > li", "blockquote", "table thead th[colspan='2'][scope='col']", "td[rowspan]", "pre", "hr", "figure img[alt=chart]", "figcaption", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "br"]) {
      expect(box.querySelector(sel), sel).not.toBeNull();
    }
    expect(box.querySelector("a")!.getAttribute("href")).toBe("https://superdocs.app/");
    expect(box.querySelector("[data-chunk-id=c11]")!.getAttribute("style")).toBe("text-align:right");
  });
  it("changes nothing else in it", () => {
    const raw = document.createElement("div");
    raw.innerHTML = service; // parsed only, never attached: nothing in it runs
    const cleaned = render(service);
    cleaned.querySelectorAll("a").forEach((a) => a.removeAttribute("rel"));
    expect(cleaned.innerHTML).toBe(raw.innerHTML);
  });
});
