//! The wire types of the SuperDocs API (docs/superdocs-api.md §3). Tolerant by design: unknown fields are
//! ignored, optional fields default when missing, and enums the service may grow read unknown
//! values as `Unknown` instead of failing.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Declares a tolerant wire enum: snake_case values plus an `Unknown` catch-all.
macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $variant,)+
            /// A value this client does not know yet.
            #[default]
            #[serde(other)]
            Unknown,
        }
    };
}

/// Declares a request-side enum (the client only sends known values).
macro_rules! request_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)+ }
    };
}

wire_enum!(JobStatus { Pending, InProgress, AwaitingApproval, Completed, Failed, Cancelled });

impl JobStatus {
    /// The job will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled)
    }
}

wire_enum!(Sender { User, Ai });
wire_enum!(EditorAction { Update, Clear, Keep });
wire_enum!(ChangeOperation { Edit, Create, Delete });
wire_enum!(SubscriptionTier { Free, Plus, Pro, Enterprise });
wire_enum!(AttachmentState { Pending, Processing, Completed, Failed });

request_enum!(ModelTier { Core, Turbo, Pro, Max });
request_enum!(ThinkingDepth { Fast, Balanced, Deep });
request_enum!(ApprovalMode { ApproveAll, AskEveryTime });
request_enum!(ResponseMode { Full, Compact });
request_enum!(OpenMode { Replace, NewFocused, Background });
request_enum!(ParseMode { Document, Attachment });
request_enum!(ExportFormat { Docx, Pdf, Html, Markdown, Txt, Doc });

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Docx => "docx",
            ExportFormat::Pdf => "pdf",
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Txt => "txt",
            ExportFormat::Doc => "doc",
        }
    }
    /// The file extension of an export in this format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            f => f.as_str(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum UploadPurpose {
    #[serde(rename = "document")]
    Document,
    #[serde(rename = "attachment")]
    Attachment,
    #[serde(rename = "export-html")]
    ExportHtml,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Health {
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SessionSummary {
    pub session_id: String,
    #[ts(type = "number")]
    pub message_count: u64,
    pub last_message_at: Option<String>,
    pub preview: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SessionList {
    pub sessions: Vec<SessionSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Message {
    /// The service has used both strings and numbers here.
    #[ts(type = "string | number | null")]
    pub id: Value,
    pub sender: Sender,
    pub content: String,
    pub timestamp: Option<String>,
    #[ts(type = "number | null")]
    pub turn_index: Option<i64>,
    pub checkpoint_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DocumentState {
    pub html_content: String,
    pub version_id: Option<String>,
    #[ts(type = "number | null")]
    pub chunk_count: Option<u64>,
    pub last_modified: Option<String>,
    #[ts(type = "Array<unknown>")]
    pub attachments: Vec<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct History {
    pub session_id: String,
    pub messages: Vec<Message>,
    pub document_state: Option<DocumentState>,
    pub editor_action: Option<EditorAction>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Change {
    pub change_id: String,
    pub operation: ChangeOperation,
    pub chunk_id: Option<String>,
    pub old_html: Option<String>,
    pub new_html: Option<String>,
    pub ai_explanation: Option<String>,
    pub batch_id: Option<String>,
    #[ts(type = "number | null")]
    pub batch_total: Option<u64>,
    pub insert_after_chunk_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Usage {
    #[ts(type = "number")]
    pub monthly_used: u64,
    #[ts(type = "number")]
    pub monthly_limit: u64,
    #[ts(type = "number")]
    pub monthly_remaining: u64,
    pub was_billable: bool,
    pub subscription_tier: SubscriptionTier,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DocumentChanges {
    pub updated_html: Option<String>,
    pub version_id: Option<String>,
    pub changes_summary: Option<String>,
    pub requires_approval: bool,
    pub pending_changes: Vec<Change>,
    pub chunk_diffs: Option<Vec<Change>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ChatRequest {
    pub message: String,
    pub session_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "Array<unknown> | null")]
    pub image_attachments: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_tier: Option<ModelTier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking_depth: Option<ThinkingDepth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_mode: Option<ApprovalMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_mode: Option<ResponseMode>,
}

impl ChatRequest {
    pub fn new(session_id: impl Into<String>, message: impl Into<String>) -> Self {
        ChatRequest { session_id: session_id.into(), message: message.into(), ..Default::default() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ChatResponse {
    pub response: String,
    pub session_id: String,
    pub document_changes: Option<DocumentChanges>,
    pub usage: Option<Usage>,
}

/// The answer to `POST /v1/chat/async`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ChatAccepted {
    pub job_id: String,
    pub session_id: String,
    pub status: JobStatus,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct IntermediateResponse {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub content: Option<String>,
    #[ts(type = "number")]
    pub sequence: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct JobMetadata {
    pub message: Option<String>,
    pub filename: Option<String>,
    pub pending_changes: Vec<Change>,
    pub intermediate_responses: Vec<IntermediateResponse>,
}

/// `result` of a completed job (a chat result; other job types leave fields empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct JobResult {
    pub response: Option<String>,
    pub session_id: Option<String>,
    pub document_changes: Option<DocumentChanges>,
    pub usage: Option<Usage>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Job {
    pub job_id: String,
    pub session_id: Option<String>,
    pub job_type: Option<String>,
    pub status: JobStatus,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    #[ts(type = "unknown")]
    pub progress: Value,
    pub result: Option<JobResult>,
    /// A string or an object, depending on the job type.
    #[ts(type = "unknown")]
    pub error: Value,
    pub metadata: JobMetadata,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct JobList {
    pub jobs: Vec<Job>,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeDecision {
    pub change_id: String,
    pub approved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ApproveRequest {
    pub job_id: String,
    pub approved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<ChangeDecision>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ApproveResponse {
    pub job_id: String,
    pub status: JobStatus,
    pub applied: Vec<String>,
    pub denied: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct RevertRequest {
    #[ts(type = "number")]
    pub turn_index: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RevertResponse {
    pub session_id: String,
    /// -1 = the session is empty again.
    #[ts(type = "number")]
    pub reverted_to_turn: i64,
    pub compose_text: Option<String>,
    #[ts(type = "number | null")]
    pub archived_turn_count: Option<u64>,
    pub document_state: Option<DocumentState>,
    pub editor_action: Option<EditorAction>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DocumentUploadResponse {
    pub session_id: String,
    pub document_id: Option<String>,
    pub filename: String,
    pub html: Option<String>,
    #[ts(type = "number | null")]
    pub chunks_count: Option<u64>,
    pub version_id: Option<String>,
    #[ts(type = "unknown")]
    pub page_setup: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AttachmentUploadResponse {
    pub job_id: String,
    pub filename: String,
    pub status: String,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AttachmentStatus {
    pub attachment_id: String,
    pub filename: String,
    pub status: AttachmentState,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AttachmentStatusList {
    pub attachments: Vec<AttachmentStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateUploadRequest {
    pub filename: String,
    pub content_type: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub purpose: UploadPurpose,
}

/// A pre-signed upload slot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct UploadTicket {
    pub upload_id: String,
    pub upload_url: String,
    pub expires_at: Option<String>,
    #[ts(type = "number | null")]
    pub expires_in_seconds: Option<u64>,
    #[ts(type = "number | null")]
    pub max_size_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProcessUploadRequest {
    pub session_id: String,
    pub filename: String,
    pub parse_mode: ParseMode,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ProcessUploadResponse {
    pub session_id: String,
    pub filename: String,
    pub status: Option<String>,
    pub parse_mode: Option<String>,
    pub html: Option<String>,
    #[ts(type = "number | null")]
    pub chunks_count: Option<u64>,
    pub version_id: Option<String>,
    pub job_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct CustomMargins {
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub left: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orientation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margins: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_margins_inches: Option<CustomMargins>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed_images: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_opacity: Option<f64>,
}

/// `POST /v1/documents/export`: exactly one of `session_id`, `html`, `upload_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
    pub format: ExportFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<ExportOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EmailExportRequest {
    pub session_id: String,
    pub format: ExportFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<ExportOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct EmailExportResponse {
    pub job_id: String,
    pub recipient_email: String,
    pub status: String,
    pub eta: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DownloadRequest {
    pub session_id: String,
    pub format: ExportFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DownloadLink {
    pub download_url: String,
    pub expires_at: Option<String>,
    #[ts(type = "number | null")]
    pub expires_in_seconds: Option<u64>,
    pub filename: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TemplateUploadRequest {
    pub filename: String,
    pub file_base64: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TemplateUploadResponse {
    pub template_id: String,
    pub filename: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn job_tolerates_unknown_fields_values_and_missing_optionals() {
        let j: Job = serde_json::from_value(json!({
            "job_id": "j1", "status": "paused_for_lunch", "new_field": {"x": 1},
            "metadata": {"message": "hi", "pending_changes": [{"change_id": "c1", "operation": "merge", "ai_explanation": "why"}]}
        }))
        .unwrap();
        assert_eq!(j.status, JobStatus::Unknown);
        assert_eq!(j.metadata.message.as_deref(), Some("hi"));
        assert_eq!(j.metadata.pending_changes[0].operation, ChangeOperation::Unknown);
        assert!(j.result.is_none() && j.created_at.is_none());
    }

    #[test]
    fn job_status_reads_every_documented_value() {
        for (s, want) in [
            ("pending", JobStatus::Pending),
            ("in_progress", JobStatus::InProgress),
            ("awaiting_approval", JobStatus::AwaitingApproval),
            ("completed", JobStatus::Completed),
            ("failed", JobStatus::Failed),
            ("cancelled", JobStatus::Cancelled),
        ] {
            assert_eq!(serde_json::from_value::<JobStatus>(json!(s)).unwrap(), want);
        }
    }

    #[test]
    fn chat_request_sends_only_what_is_set() {
        let mut r = ChatRequest::new("s1", "hello");
        r.model_tier = Some(ModelTier::Turbo);
        r.approval_mode = Some(ApprovalMode::AskEveryTime);
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"message": "hello", "session_id": "s1", "model_tier": "turbo", "approval_mode": "ask_every_time"})
        );
    }

    #[test]
    fn history_with_null_document_and_numeric_ids() {
        let h: History = serde_json::from_value(json!({
            "session_id": "s", "messages": [{"id": 7, "sender": "user", "content": "x", "turn_index": 0}],
            "document_state": null, "editor_action": "clear"
        }))
        .unwrap();
        assert_eq!(h.messages[0].sender, Sender::User);
        assert!(h.document_state.is_none());
        assert_eq!(h.editor_action, Some(EditorAction::Clear));
        assert_eq!(serde_json::to_value(UploadPurpose::ExportHtml).unwrap(), json!("export-html"));
    }
}
