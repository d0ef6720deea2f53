// Server HTML is rendered only after this, and to an allow-list that fits a document: headings, text,
// lists, tables, inline formatting, links and inline images. Nothing runs (no scripts, handlers,
// javascript: links), nothing loads (remote images are blocked and marked, styles that name a url()
// are dropped), nothing navigates but an <a> the user clicks (no map/area, href only on <a>, https and
// mailto only), and nothing imitates the app: no data-change-* (the Keep / Discard buttons), no classes,
// ids prefixed so they cannot collide with the app's. data-chunk-id and the other data-* attributes the
// service uses are kept. DocumentPane also contains the rendered document (contain: paint), so even a
// style that survives cannot draw outside the document's box.
import DOMPurify from "dompurify";
import { t } from "./i18n.svelte";

/** What a document may be made of. Anything else (map, area, form, svg, iframe, ...) is removed. */
const ALLOWED_TAGS = [
  "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "br", "hr", "blockquote", "pre", "code",
  "ul", "ol", "li", "dl", "dt", "dd",
  "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
  "a", "img", "figure", "figcaption",
  "b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "mark", "q", "cite",
  "abbr", "kbd", "samp", "var", "time", "address", "section", "article", "header", "footer", "aside",
];
/** Attributes any allowed tag may carry; `href` and `src` are further limited to <a> and <img>. */
const ALLOWED_ATTR = [
  "href", "src", "alt", "title", "lang", "dir", "id", "style",
  "colspan", "rowspan", "scope", "headers", "span", "start", "reversed", "type", "value", "datetime", "width", "height",
];
/** data-* names the app itself reads or the webview acts on: a document must not set them. */
const RESERVED_DATA = /^data-(change-|testid|tauri-|blocked-|action)/i;
/** A style is kept only when it can neither load anything nor leave the document's flow. */
const UNSAFE_STYLE = /url\s*\(|image-set|image\s*\(|cross-fade|element\s*\(|expression|@import|binding|behavior|\\|position\s*:/i;
const INLINE_IMAGE = /^data:image\/(png|jpe?g|gif|webp);/i;

/** A mailto: link reduced to its addresses, subject and body (no attach=, cc, bcc or other headers). */
export function safeMailto(href: string): string | null {
  const m = /^mailto:([^?#]*)(?:\?([^#]*))?/i.exec(href.trim());
  if (!m) return null;
  const kept = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(m[2] ?? "")) {
    const key = k.toLowerCase();
    if ((key === "subject" || key === "body") && !kept.has(key)) kept.set(key, v);
  }
  // URLSearchParams writes spaces as '+', which mail clients show literally.
  const query = kept.toString().replace(/\+/g, "%20");
  return `mailto:${m[1]}${query ? `?${query}` : ""}`;
}

/** A link the document may open in the system browser or mail app (never inside the app). */
export function externalHref(href: string | null): string | null {
  if (!href) return null;
  const h = href.trim();
  if (/^https:\/\//i.test(h)) return h;
  if (/^mailto:/i.test(h)) return safeMailto(h);
  return null;
}

let purifier: ReturnType<typeof DOMPurify> | null = null;
/** The placeholder text of a blocked image: looked up at the first one of each sanitising, not per image
 *  nor per call (a review sanitises thousands of small fragments without any image). */
let blockedAlt: string | null = null;

function instance(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook("uponSanitizeAttribute", (node, data) => {
    const name = data.attrName.toLowerCase();
    const tag = (node as Element).tagName;
    if (name.startsWith("data-")) {
      if (RESERVED_DATA.test(name)) data.keepAttr = false;
      return;
    }
    if ((name === "href" && tag !== "A") || (name === "src" && tag !== "IMG")) data.keepAttr = false;
    if (name === "style" && UNSAFE_STYLE.test(data.attrValue)) data.keepAttr = false;
  });
  p.addHook("afterSanitizeAttributes", (node) => {
    const el = node as Element;
    if (el.tagName === "A") {
      const href = el.getAttribute("href");
      if (href != null) {
        const safe = href.trim().startsWith("#") ? href.trim() : externalHref(href);
        if (safe == null) el.removeAttribute("href");
        else el.setAttribute("href", safe);
      }
      el.setAttribute("rel", "noopener noreferrer");
    }
    if (el.tagName === "IMG") {
      const src = el.getAttribute("src") ?? "";
      if (!INLINE_IMAGE.test(src.trim())) {
        el.removeAttribute("src");
        if (src) el.setAttribute("data-blocked-src", src);
        el.setAttribute("alt", el.getAttribute("alt") || (blockedAlt ??= t("doc:remoteImageBlocked")));
        // The one class a document carries, and the sanitiser sets it: the theme styles the placeholder.
        el.classList.add("blocked-image");
      }
    }
  });
  purifier = p;
  return p;
}

export function sanitizeHtml(html: string): string {
  blockedAlt = null;
  return instance().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: true,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    // ids become "user-content-…": a document cannot clobber the app's globals or reuse its ids.
    SANITIZE_NAMED_PROPS: true,
  }) as string;
}

/** The plain text of some server HTML (for diffs and previews). Parsed into an inert template (nothing in
 *  it runs or loads), so no sanitiser pass is needed for text alone; script-like content is not text. */
export function htmlToText(html: string): string {
  const t = document.createElement("template");
  t.innerHTML = html;
  for (const el of t.content.querySelectorAll("script, style, template, noscript, iframe, object")) el.remove();
  return (t.content.textContent ?? "").replace(/\s+/g, " ").trim();
}
