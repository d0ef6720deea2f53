// The chat message limit (the core's `input_rules`; docs/superdocs-api.md §2): past it a message is never
// sent; the composer offers "Add as document" instead (docs/error-handling.md §5).

export type ComposerLimit = { count: number; limit: number; over: boolean; near: boolean };

/** Counts characters as the service does (code points, so an emoji is one). No limit known yet: none. */
export function composerLimit(text: string, limit: number | undefined): ComposerLimit {
  const count = [...text].length;
  const max = limit ?? Infinity;
  return { count, limit: max, over: count > max, near: count > max * 0.9 };
}
