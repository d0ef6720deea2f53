import { describe, expect, it } from "vitest";
import type { Error as ApiError } from "../../src/lib/bindings/Error";
import type { InputRules } from "../../src/lib/bindings/InputRules";
import { formatsLabel, refusalOf } from "../../src/lib/file-check";
import { locale } from "../../src/lib/i18n.svelte";

// The rules and refusals are the core's (superdocs_client::input_rules, tested there); the window only names them.
const rules: InputRules = {
  document_extensions: ["docx", "pdf", "txt", "rtf", "md", "html", "htm"],
  attachment_extensions: ["docx", "pdf", "txt", "rtf", "md", "html", "htm", "png", "jpg", "jpeg", "gif", "webp"],
  max_file_bytes: 104_857_600,
  prompt_limit_chars: 100_000,
};
const refusal = (message: string): ApiError => ({ kind: "unsupported_file", message, request_id: "cli_1", retryable: false, attempts: 0, at: "2026-11-29T00:00:00Z" });

describe("file-check", () => {
  it("names each target's formats from the core's rules, one spelling each, with the largest file", () => {
    expect(formatsLabel(rules, "document")).toBe(".docx .pdf .txt .rtf .md .html, up to 100 MB");
    expect(formatsLabel(rules, "attachment")).toContain(".png .jpg .gif .webp");
    expect(formatsLabel(null, "document")).toBe("");
    locale.chosen = "de";
    try {
      expect(formatsLabel({ ...rules, max_file_bytes: 1_572_864 }, "document")).toBe(".docx .pdf .txt .rtf .md .html, bis 1,5 MB");
    } finally {
      locale.chosen = "en";
    }
  });
  it("takes a file's refusal for the target it is dropped on", () => {
    const file = { path: "/x/logo.png", name: "logo.png", size: 3, is_dir: false, refused: { document: refusal("not a document"), attachment: null } };
    expect(refusalOf(file, "document")?.message).toBe("not a document");
    expect(refusalOf(file, "attachment")).toBeNull();
  });
});
