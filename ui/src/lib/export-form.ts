// The export dialog's choices and how they become the request (docs/superdocs-api.md §3 export options).
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportOptions } from "./bindings/ExportOptions";

export type ExportForm = {
  format: ExportFormat;
  paper_size: "Letter" | "A4" | "Legal";
  orientation: "portrait" | "landscape";
  margins: "normal" | "narrow" | "wide";
  watermark_text: string;
  watermark_opacity: number;
  filename: string;
  folder: string;
};

export const FORMATS: { value: ExportFormat; label: string; ext: string }[] = [
  { value: "docx", label: "Word (.docx)", ext: "docx" },
  { value: "pdf", label: "PDF", ext: "pdf" },
  { value: "html", label: "Web page (.html)", ext: "html" },
  { value: "markdown", label: "Markdown (.md)", ext: "md" },
  { value: "txt", label: "Plain text (.txt)", ext: "txt" },
];

export function extensionFor(format: ExportFormat): string {
  return FORMATS.find((f) => f.value === format)?.ext ?? format;
}

/** Paper and margins matter only for paged formats. */
export function isPaged(format: ExportFormat): boolean {
  return format === "pdf" || format === "docx";
}

/** A file name safe on every OS, without the extension (added from the format). */
export function safeBaseName(name: string): string {
  const base = name.replace(/\.(docx|pdf|html?|md|markdown|txt|doc)$/i, "");
  const clean = base.replace(/[\\/:*?"<>|\u0000-\u001f]/g, " ").replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  return clean.slice(0, 120) || "document";
}

export function fileNameFor(form: Pick<ExportForm, "filename" | "format">): string {
  return `${safeBaseName(form.filename)}.${extensionFor(form.format)}`;
}

export function defaultForm(title: string, folder: string): ExportForm {
  return {
    format: "docx",
    paper_size: "Letter",
    orientation: "portrait",
    margins: "normal",
    watermark_text: "",
    watermark_opacity: 0.3,
    filename: safeBaseName(title),
    folder,
  };
}

export function exportOptions(form: ExportForm): ExportOptions {
  const opts: ExportOptions = {};
  if (isPaged(form.format)) {
    opts.paper_size = form.paper_size;
    opts.orientation = form.orientation;
    opts.margins = form.margins;
  }
  if (form.format === "pdf" && form.watermark_text.trim()) {
    opts.watermark_text = form.watermark_text.trim();
    opts.watermark_opacity = Math.min(1, Math.max(0.05, form.watermark_opacity));
  }
  return opts;
}
