// The export dialog's choices and how they become the request (docs/superdocs-api.md §3 export options).
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportOptions } from "./bindings/ExportOptions";
import { t } from "./i18n.svelte";

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

/** The formats the dialog offers (the API's legacy "doc" is not one). */
export type OfferedFormat = Exclude<ExportFormat, "doc">;

export const FORMATS: { value: OfferedFormat; ext: string }[] = [
  { value: "docx", ext: "docx" },
  { value: "pdf", ext: "pdf" },
  { value: "html", ext: "html" },
  { value: "markdown", ext: "md" },
  { value: "txt", ext: "txt" },
];

/** How the dialog names a format, in the window's language. */
export function formatLabel(format: OfferedFormat): string {
  return t(`exports:formats.${format}`);
}

export function extensionFor(format: ExportFormat): string {
  return FORMATS.find((f) => f.value === format)?.ext ?? format;
}

/** Paper and margins matter only for paged formats. */
export function isPaged(format: ExportFormat): boolean {
  return format === "pdf" || format === "docx";
}

/** A file name safe on every OS, without the extension (added from the format); `fallback` when nothing is left. */
export function safeBaseName(name: string, fallback = "document"): string {
  const base = name.replace(/\.(docx|pdf|html?|md|markdown|txt|doc)$/i, "");
  const clean = base.replace(/[\\/:*?"<>|\u0000-\u001f]/g, " ").replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  return clean.slice(0, 120) || fallback;
}

export function fileNameFor(form: Pick<ExportForm, "filename" | "format">, fallback?: string): string {
  return `${safeBaseName(form.filename, fallback)}.${extensionFor(form.format)}`;
}

export function defaultForm(title: string, folder: string, fallback?: string): ExportForm {
  return {
    format: "docx",
    paper_size: "Letter",
    orientation: "portrait",
    margins: "normal",
    watermark_text: "",
    watermark_opacity: 0.3,
    filename: safeBaseName(title, fallback),
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
