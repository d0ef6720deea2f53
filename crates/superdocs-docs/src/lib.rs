//! Document conversion and the deterministic editor behind the SuperDocs simulator.
//!
//! - `chunks`: the chunked-HTML model (every top-level block carries `data-chunk-id`)
//! - `import`: file bytes (txt, md, html, docx, pdf, rtf) → chunked HTML
//! - `export`: chunked HTML → docx, pdf, html, markdown, txt
//! - `editor`: rule-based edits that stand in for the AI
//!
//! Nothing here does I/O or knows HTTP; the simulator maps these types to the wire.

pub mod chunks;
pub mod editor;
pub mod export;
pub mod import;

mod docx_read;
mod docx_write;
mod font_metrics;
mod model;
mod pdf_read;
mod pdf_write;
mod prose;
mod rtf_read;
mod text_write;

pub use editor::{apply, plan, Edit, EditOperation, EditPlan};
pub use export::{
    export, CustomMargins, ExportError, ExportFormat, ExportOptions, ExportedFile, Margins,
    Orientation, PaperSize,
};
pub use import::{import, ImportError, ImportedDocument, PageSetup, SourceFormat};
