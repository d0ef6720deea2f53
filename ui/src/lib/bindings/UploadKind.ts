// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { OpenMode } from "./OpenMode";
export type UploadKind = { kind: "document"; open_mode: OpenMode } | { kind: "attachment" };
