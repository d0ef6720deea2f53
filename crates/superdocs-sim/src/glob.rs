//! Path patterns for fault rules and stats: `*` matches any run of characters (slashes included).

pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` seen and the text index it was tried at, for backtracking.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_match_runs() {
        assert!(glob_match("/v1/jobs/*", "/v1/jobs/job_1"));
        assert!(glob_match("/v1/jobs/*", "/v1/jobs/job_1/cancel"));
        assert!(glob_match("*/cancel", "/v1/jobs/x/cancel"));
        assert!(glob_match("/v1/chat", "/v1/chat"));
        assert!(!glob_match("/v1/chat", "/v1/chat/async"));
        assert!(glob_match("/v1/*/stream", "/v1/chat/s1/stream"));
        assert!(!glob_match("/v1/jobs/*", "/v1/jobs"));
    }
}
