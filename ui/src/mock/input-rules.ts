// The mock's stand-in for the core's input rules (superdocs_client::input_rules: `input_rules`, and the
// `refused` of each `stat_paths` answer): the browser tests need refusals without the Rust core.
import type { Error as ApiError } from "../lib/bindings/Error";
import type { FileInfo } from "../lib/bindings/FileInfo";
import type { InputRules } from "../lib/bindings/InputRules";
import type { UploadTarget } from "../lib/bindings/UploadTarget";
import { formatBytes } from "../lib/format";

const DOCUMENT_EXTENSIONS = ["docx", "pdf", "txt", "rtf", "md", "html", "htm"] as const;
const ATTACHMENT_EXTENSIONS = [...DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg", "gif", "webp"] as const;
/** The largest file the service takes at all (pre-signed upload). */
const UPLOAD_CAP_BYTES = 104_857_600;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

function formatsLabel(mode: UploadTarget): string {
  return acceptedExtensions(mode)
    .filter((e) => e !== "htm" && e !== "jpeg")
    .map((e) => `.${e}`)
    .join(" ");
}

function acceptedExtensions(mode: UploadTarget): readonly string[] {
  return mode === "document" ? DOCUMENT_EXTENSIONS : ATTACHMENT_EXTENSIONS;
}


function refusal(file: Stat, kind: ApiError["kind"], message: string, action: ApiError["suggested_action"]): ApiError {
  return {
    kind,
    message,
    request_id: "local",
    retryable: false,
    attempts: 0,
    suggested_action: action,
    operation: { kind: "upload", label: `Uploading ${file.name}`, file: file.name },
    at: new Date().toISOString(),
  };
}

/** null when the file may be queued in this mode; otherwise the error that says why not. */
export const PROMPT_LIMIT = 100_000;

export const RULES: InputRules = {
  document_extensions: [...DOCUMENT_EXTENSIONS],
  attachment_extensions: [...ATTACHMENT_EXTENSIONS],
  max_file_bytes: UPLOAD_CAP_BYTES,
  prompt_limit_chars: PROMPT_LIMIT,
};

type Stat = Omit<FileInfo, "refused">;

/** A path as `stat_paths` answers it: with the refusal of each target. */
export function describe(file: Stat): FileInfo {
  return { ...file, refused: { document: checkFile(file, "document"), attachment: checkFile(file, "attachment") } };
}

export function checkFile(file: Stat, mode: UploadTarget): ApiError | null {
  if (file.is_dir) return refusal(file, "unsupported_file", `${file.name} is a folder; drop the files inside it instead.`, null);
  const ext = extensionOf(file.name);
  if (ext === "doc")
    return refusal(file, "unsupported_file", `${file.name} is a legacy .doc file. Convert it to .docx and try again.`, "convert_to_docx");
  if (!acceptedExtensions(mode).includes(ext)) {
    const as = mode === "document" ? "a document" : "an attachment";
    return refusal(file, "unsupported_file", `${file.name} can't be opened as ${as}. Supported: ${formatsLabel(mode)}.`, "convert_to_docx");
  }
  if (file.size === 0) return refusal(file, "validation", `${file.name} is empty.`, null);
  if (file.size > UPLOAD_CAP_BYTES)
    return refusal(
      file,
      "too_large",
      `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(UPLOAD_CAP_BYTES)}.`,
      "choose_smaller_file",
    );
  return null;
}
