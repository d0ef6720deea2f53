// Refuses a file before anything is sent (docs/error-handling.md §5): unsupported types with advice,
// files over the caps naming the cap. The shell checks again; this is what the drop overlay shows.
import type { Error as ApiError } from "./bindings/Error";
import type { FileInfo } from "./bindings/FileInfo";
import type { UploadTarget } from "./bindings/UploadTarget";
import { formatBytes } from "./format";

export const DOCUMENT_EXTENSIONS = ["docx", "pdf", "txt", "rtf", "md", "html", "htm"] as const;
export const ATTACHMENT_EXTENSIONS = [...DOCUMENT_EXTENSIONS, "png", "jpg", "jpeg", "gif", "webp"] as const;
/** Direct upload cap; between this and the pre-signed cap the shell takes the pre-signed route. */
export const DIRECT_CAP_BYTES = 50 * 1024 * 1024;
/** The largest file the service takes at all (pre-signed upload). */
export const UPLOAD_CAP_BYTES = 104_857_600;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

export function acceptedExtensions(mode: UploadTarget): readonly string[] {
  return mode === "document" ? DOCUMENT_EXTENSIONS : ATTACHMENT_EXTENSIONS;
}

/** "docx, pdf, txt, rtf, md, html" for the overlay's hint. */
export function formatsLabel(mode: UploadTarget): string {
  return acceptedExtensions(mode)
    .filter((e) => e !== "htm" && e !== "jpeg")
    .map((e) => `.${e}`)
    .join(" ");
}

function refusal(file: FileInfo, kind: ApiError["kind"], message: string, action: ApiError["suggested_action"]): ApiError {
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
export function checkFile(file: FileInfo, mode: UploadTarget): ApiError | null {
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
