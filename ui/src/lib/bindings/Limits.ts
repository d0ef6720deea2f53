// Hand-written until the core fixes its declaration (see KNOWN_CORE_GAPS in src-tauri/bindings.rs): the
// fields are left out of the JSON when empty (`skip_serializing_if`), so they are optional here.
/** Figures the server reported with the error. */
export type Limits = { max_size_mb?: number | null; request_size_mb?: number | null; monthly_limit?: number | null; monthly_used?: number | null; monthly_remaining?: number | null };
