// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type OperationKind = "key_check" | "sessions" | "history" | "chat" | "approve" | "revert" | "jobs" | "cancel_job" | "upload" | "attachments" | "export" | "email_export" | "download" | "template" | "stream" | "keyring" | "other";
