//! The CLI's exit codes: stable, documented in the README, decided here and nowhere else.

use superdocs_client::{Error, ErrorKind};

pub const OK: u8 = 0;
/// Anything not covered below (an internal error).
pub const OTHER: u8 = 1;
/// The command line was wrong (clap uses 2 as well).
pub const USAGE: u8 = 2;
/// The key is missing, malformed or refused; the keyring is unusable; access is forbidden.
pub const AUTH: u8 = 3;
/// The plan's monthly quota is used up, or the service is rate limiting.
pub const QUOTA: u8 = 4;
/// The request cannot be done as asked: invalid values, too large, unsupported file, prompt too
/// long, not found, conflict (e.g. revert while a job runs).
pub const INVALID: u8 = 5;
/// The network, the service or the protocol failed (after the automatic retries).
pub const UNAVAILABLE: u8 = 6;
/// The operation or the job was cancelled.
pub const CANCELLED: u8 = 7;
/// SuperDocs may have received the request and applied it, and the CLI could not find out: check
/// (e.g. `superdocs jobs list`, `superdocs history`) before running the command again.
pub const UNKNOWN_OUTCOME: u8 = 8;

/// The exit code for an error.
pub fn for_error(e: &Error) -> u8 {
    match e.kind {
        ErrorKind::Auth | ErrorKind::Forbidden | ErrorKind::Keyring => AUTH,
        ErrorKind::Quota | ErrorKind::RateLimited => QUOTA,
        ErrorKind::Validation
        | ErrorKind::TooLarge
        | ErrorKind::UnsupportedFile
        | ErrorKind::PromptTooLong
        | ErrorKind::NotFound
        | ErrorKind::Conflict => INVALID,
        ErrorKind::Network | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Protocol => UNAVAILABLE,
        ErrorKind::Cancelled => CANCELLED,
        ErrorKind::Internal => OTHER,
        ErrorKind::UnknownOutcome => UNKNOWN_OUTCOME,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_documented_code() {
        let code = |k| for_error(&Error::local(k, "x"));
        assert_eq!(code(ErrorKind::Auth), 3);
        assert_eq!(code(ErrorKind::Keyring), 3);
        assert_eq!(code(ErrorKind::Quota), 4);
        assert_eq!(code(ErrorKind::TooLarge), 5);
        assert_eq!(code(ErrorKind::UnsupportedFile), 5);
        assert_eq!(code(ErrorKind::Server), 6);
        assert_eq!(code(ErrorKind::Protocol), 6);
        assert_eq!(code(ErrorKind::Cancelled), 7);
        assert_eq!(code(ErrorKind::Internal), 1);
        assert_eq!(code(ErrorKind::UnknownOutcome), 8);
    }
}
