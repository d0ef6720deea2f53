// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { Change } from "./Change";
import type { IntermediateResponse } from "./IntermediateResponse";
export type JobMetadata = { message: string | null; filename: string | null; pending_changes: Array<Change>; intermediate_responses: Array<IntermediateResponse> };
