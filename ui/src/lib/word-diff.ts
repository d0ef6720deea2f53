// A word-level diff for proposed edits: removed text struck through, new text highlighted (docs/ui.md).
// Longest common subsequence on word tokens; long inputs fall back to "all removed, all added"
// to keep the work bounded.

export type DiffPart = { op: "same" | "del" | "ins"; text: string };

const MAX_CELLS = 4_000_000;

/** Words with their trailing space, so a changed word takes its space with it and the rest reads naturally. */
function tokens(s: string): string[] {
  return s.match(/\S+\s*|\s+/g) ?? [];
}

function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && last.op === p.op) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

export function wordDiff(oldText: string, newText: string): DiffPart[] {
  const a = tokens(oldText);
  const b = tokens(newText);
  if (a.length * b.length > MAX_CELLS) {
    return merge([
      ...(oldText ? [{ op: "del" as const, text: oldText }] : []),
      ...(newText ? [{ op: "ins" as const, text: newText }] : []),
    ]);
  }
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      parts.push({ op: "same", text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) parts.push({ op: "del", text: a[i++] });
    else parts.push({ op: "ins", text: b[j++] });
  }
  while (i < a.length) parts.push({ op: "del", text: a[i++] });
  while (j < b.length) parts.push({ op: "ins", text: b[j++] });
  return merge(parts);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The diff as HTML: text is escaped, only <del>/<ins> are markup. */
export function diffToHtml(parts: DiffPart[]): string {
  return parts
    .map((p) => (p.op === "same" ? escapeHtml(p.text) : `<${p.op}>${escapeHtml(p.text)}</${p.op}>`))
    .join("");
}

export { escapeHtml };
