// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type ExportFormat = "docx" | "pdf" | "html" | "markdown" | "txt" | "doc";
