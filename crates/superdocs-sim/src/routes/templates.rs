//! Reusable templates sent as base64.
use axum::extract::State;
use axum::Json;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::accounts::Caller;
use crate::errors::{ApiError, ApiResult};
use crate::extract::{validate_session_id, ApiJson};
use crate::files::FilePurpose;
use crate::ids;
use crate::state::{Sim, Template};

#[derive(Deserialize)]
pub struct TemplateUpload {
    filename: String,
    file_base64: String,
    session_id: Option<String>,
}

pub async fn upload(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    ApiJson(body): ApiJson<TemplateUpload>,
) -> ApiResult<Json<Value>> {
    if let Some(sid) = &body.session_id {
        validate_session_id(sid, &["body", "session_id"])?;
        sim.world.lock().unwrap().check_session_access(caller.key(), sid)?;
    }
    FilePurpose::Template.check(&body.filename)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(body.file_base64.trim()).map_err(|_| {
        ApiError::field("value_error", &["body", "file_base64"], "Value error, file_base64 is not valid base64")
    })?;
    if bytes.len() as u64 > sim.config.upload_cap_bytes {
        return Err(ApiError::file_too_large(sim.config.upload_cap_bytes));
    }
    if bytes.is_empty() {
        return Err(ApiError::bad_request("The file is empty."));
    }
    let file = sim
        .storage
        .write_bytes("template_", &bytes)
        .await
        .map_err(|e| ApiError::detail(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let template_id = ids::new_id("tpl_");
    sim.world.lock().unwrap().templates.insert(
        template_id.clone(),
        Template { owner: caller.key().to_string(), filename: body.filename.clone(), file },
    );
    Ok(Json(json!({ "template_id": template_id, "filename": body.filename })))
}
