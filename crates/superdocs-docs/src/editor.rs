//! The deterministic stand-in for the AI. STUB: to be replaced by the docs helper, keeping the public
//! signatures.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOperation {
    Edit,
    Create,
    Delete,
}

/// One proposed change to a chunked document.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub operation: EditOperation,
    /// The chunk edited or deleted (None for `Create`).
    pub chunk_id: Option<String>,
    pub old_html: Option<String>,
    pub new_html: Option<String>,
    /// For `Create`: the chunk the new block goes after (None = at the start).
    pub insert_after_chunk_id: Option<String>,
    pub explanation: String,
}

/// What the stand-in AI would do with one instruction.
#[derive(Debug, Clone, PartialEq)]
pub struct EditPlan {
    /// The chat reply: says what was done (or answers, when nothing changes).
    pub reply: String,
    /// Progress lines, shown while the turn runs ("Reading the document", ...).
    pub progress: Vec<String>,
    pub edits: Vec<Edit>,
    /// The document with every edit applied.
    pub new_html: String,
    /// One line for `changes_summary`.
    pub summary: String,
}

/// Plans the edits one instruction makes to a document.
pub fn plan(_instruction: &str, document_html: &str) -> EditPlan {
    EditPlan {
        reply: "I read the document; nothing to change.".into(),
        progress: vec!["Reading the document".into()],
        edits: vec![],
        new_html: document_html.to_string(),
        summary: String::new(),
    }
}

/// Applies a subset of a plan's edits (the approved ones) to the document they were planned on.
pub fn apply(document_html: &str, _edits: &[&Edit]) -> String {
    document_html.to_string()
}
