// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { OperationKind } from "./OperationKind";
export type Operation = { kind: OperationKind; label: string; session_id?: string | null; file?: string | null };
