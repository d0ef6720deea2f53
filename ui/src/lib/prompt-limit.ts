// The chat message limit (docs/superdocs-api.md §2): past it a message is never sent; the composer offers
// "Add as document" instead (docs/error-handling.md §5).

export const PROMPT_LIMIT = 100_000;

export type ComposerLimit = { count: number; over: boolean; near: boolean };

/** Counts characters as the service does (code points, so an emoji is one). */
export function composerLimit(text: string): ComposerLimit {
  const count = [...text].length;
  return { count, over: count > PROMPT_LIMIT, near: count > PROMPT_LIMIT * 0.9 };
}
