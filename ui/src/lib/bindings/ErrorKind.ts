// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type ErrorKind = "auth" | "forbidden" | "not_found" | "conflict" | "validation" | "too_large" | "quota" | "rate_limited" | "timeout" | "server" | "network" | "protocol" | "unsupported_file" | "prompt_too_long" | "keyring" | "cancelled" | "internal";
