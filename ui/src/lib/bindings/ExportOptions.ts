// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { CustomMargins } from "./CustomMargins";
export type ExportOptions = { paper_size?: string | null; orientation?: string | null; margins?: string | null; custom_margins_inches?: CustomMargins | null; embed_images?: boolean | null; watermark_text?: string | null; watermark_opacity?: number | null };
