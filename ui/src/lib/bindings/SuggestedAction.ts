// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type SuggestedAction = "retry" | "switch_model" | "add_as_document" | "email_request" | "split_request" | "reenter_key" | "upgrade_plan" | "wait_for_job" | "cancel_job" | "convert_to_docx" | "choose_smaller_file" | "contact_support";
