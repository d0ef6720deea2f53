//! Document conversion and the deterministic editor behind the SuperDocs simulator.
//!
//! - `chunks`: the chunked-HTML model (every top-level block carries `data-chunk-id`)
//! - `import`: file bytes (txt, md, html, docx, pdf, rtf) → chunked HTML; readers in `docx_read`,
//!   `pdf_read`, `rtf_read`
//! - `export`: chunked HTML → docx, pdf, html, markdown, txt; writers in `docx_write`,
//!   `pdf_write` (with `font_metrics`), `text_write`, all rendering the structure read by `model`
//! - `editor`: rule-based edits that stand in for the AI (language helpers in `prose`)
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
    export, CustomMargins, ExportError, ExportFormat, ExportOptions, ExportedFile, Margins, Orientation, PaperSize,
};
pub use import::{import, ImportError, ImportedDocument, PageSetup, SourceFormat};
