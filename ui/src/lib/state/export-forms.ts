// The export dialog's choices per session, kept across openings and failures (nothing is lost).
import type { ExportForm } from "../export-form";

export const exportForms: Record<string, ExportForm> = {};
