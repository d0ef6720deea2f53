// What the window says of files before anything is sent. The rules are the core's: the formats and the
// largest file come from `input_rules`, and each file's refusal per target with its `stat_paths` answer
// (superdocs_client::input_rules, the same checks the upload queue makes).
import type { Error as ApiError } from "./bindings/Error";
import type { FileInfo } from "./bindings/FileInfo";
import type { InputRules } from "./bindings/InputRules";
import type { UploadTarget } from "./bindings/UploadTarget";
import { formatBytes } from "./format";
import { t } from "./i18n.svelte";

/** ".docx .pdf .txt .rtf .md .html, up to 100 MB" for the drop targets' hint ("" before the rules load). */
export function formatsLabel(rules: InputRules | null, mode: UploadTarget): string {
  if (!rules) return "";
  const exts = mode === "document" ? rules.document_extensions : rules.attachment_extensions;
  // Spellings of a format already named (htm, jpeg) are taken but not listed.
  const shown = exts.filter((e) => e !== "htm" && e !== "jpeg").map((e) => `.${e}`);
  return t("format:formatsUpTo", { formats: shown.join(" "), size: formatBytes(rules.max_file_bytes) });
}

/** Why the core would refuse this file as `mode`; null when it may be queued. */
export function refusalOf(file: FileInfo, mode: UploadTarget): ApiError | null {
  return file.refused[mode] ?? null;
}
