// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type DocumentState = { html_content: string; version_id: string | null; chunk_count: number | null; last_modified: string | null; attachments: Array<unknown> };
