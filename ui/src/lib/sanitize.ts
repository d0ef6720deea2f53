// Server HTML is rendered only after this: no scripts, no event handlers, no javascript: links, no
// forms, no remote fetches (remote images are blocked and marked, inline styles dropped since they can
// load url(...)). data-* attributes, above all data-chunk-id, are kept: the next turn sends them back.
import DOMPurify from "dompurify";

const FORBID_TAGS = [
  "script", "style", "link", "meta", "base", "form", "input", "button", "textarea", "select", "option",
  "iframe", "frame", "frameset", "object", "embed", "applet", "video", "audio", "source", "track", "picture",
  "svg", "math", "template", "portal", "noscript",
];
const FORBID_ATTR = ["style", "srcset", "background", "ping", "formaction", "action", "poster", "xlink:href", "target"];
const SAFE_LINK = /^(https?:|mailto:|#)/i;
const INLINE_IMAGE = /^data:image\/(png|jpe?g|gif|webp);/i;

let purifier: ReturnType<typeof DOMPurify> | null = null;

function instance(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook("afterSanitizeAttributes", (node) => {
    const el = node as Element;
    if (el.tagName === "A") {
      const href = el.getAttribute("href") ?? "";
      if (!SAFE_LINK.test(href.trim())) el.removeAttribute("href");
      el.setAttribute("rel", "noopener noreferrer");
    }
    if (el.tagName === "IMG") {
      const src = el.getAttribute("src") ?? "";
      if (!INLINE_IMAGE.test(src.trim())) {
        el.removeAttribute("src");
        if (src) el.setAttribute("data-blocked-src", src);
        el.setAttribute("alt", el.getAttribute("alt") || "Remote image blocked");
        el.classList.add("blocked-image");
      }
    }
  });
  purifier = p;
  return p;
}

export function sanitizeHtml(html: string): string {
  return instance().sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: true,
    ALLOW_UNKNOWN_PROTOCOLS: false,
  }) as string;
}

/** The plain text of some server HTML (for diffs and previews), via the sanitiser so nothing runs. */
export function htmlToText(html: string): string {
  const box = document.createElement("div");
  box.innerHTML = sanitizeHtml(html);
  return (box.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** A link the document may open in the system browser (never inside the app). */
export function externalHref(href: string | null): string | null {
  if (!href) return null;
  const h = href.trim();
  return /^(https?:|mailto:)/i.test(h) ? h : null;
}
