//! `text/event-stream` framing, exactly as the WHATWG HTML standard's "event stream interpretation"
//! (§9.2.6) says, over bytes that may be split anywhere. Owned here because the crate used before
//! (`eventsource-stream` 0.2.3, unmaintained) panicked on a stream starting with a UTF-8 BOM.
//!
//! - one leading BOM (EF BB BF) is dropped, once, at the start of the stream;
//! - lines end with CR, LF or CRLF, also when the CR and the LF arrive in different chunks;
//! - invalid UTF-8 is decoded lossily (U+FFFD), never an error;
//! - `event`, `data` (joined with LF), `id` (ignored when it holds NUL; sticky across events as in a
//!   browser), `retry` (ASCII digits only); other fields and `:` comments are ignored;
//! - a blank line dispatches; an event with no `data` is not dispatched; an unfinished event at the
//!   end of the stream is discarded.
//!
//! The parser never panics; its one failure is a line or event larger than its limit.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::{Stream, StreamExt};

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseFrame {
    /// The event type; "message" when the event named none.
    pub event: String,
    pub data: String,
    /// The last event id (sticky: an event that sets no `id` reports the previous one).
    pub id: String,
    /// The reconnection time the server asked for, if this event carried a valid `retry`.
    pub retry: Option<Duration>,
}

/// The default bound on one line and on one event's data: as large as any JSON body the client reads.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 256 * 1024 * 1024;

/// An incremental parser. Feed it chunks; it hands out the events completed so far.
#[derive(Debug)]
pub struct SseParser {
    /// Bytes of the line not finished yet.
    line: Vec<u8>,
    /// Whether the first line was seen (the BOM is only looked for there).
    started: bool,
    /// The previous chunk ended with CR: an LF opening the next chunk belongs to that line end.
    after_cr: bool,
    event: String,
    data: String,
    last_id: String,
    retry: Option<Duration>,
    max_bytes: usize,
}

impl Default for SseParser {
    fn default() -> Self {
        SseParser::with_limit(DEFAULT_MAX_EVENT_BYTES)
    }
}

/// A line or an event's data grew past the parser's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge(pub usize);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an event of the stream is larger than {} bytes", self.0)
    }
}

impl SseParser {
    pub fn with_limit(max_bytes: usize) -> Self {
        SseParser {
            line: Vec::new(),
            started: false,
            after_cr: false,
            event: String::new(),
            data: String::new(),
            last_id: String::new(),
            retry: None,
            max_bytes,
        }
    }

    /// Parses `chunk`, appending every event it completes to `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<SseFrame>) -> Result<(), TooLarge> {
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
        }
        while let Some(i) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            let end = if self.line.is_empty() {
                self.process_line(&chunk[..i], out)
            } else {
                let mut line = std::mem::take(&mut self.line);
                line.extend_from_slice(&chunk[..i]);
                let r = self.process_line(&line, out);
                line.clear();
                self.line = line;
                r
            };
            end?;
            let mut next = i + 1;
            if chunk[i] == b'\r' {
                match chunk.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            chunk = &chunk[next..];
        }
        if self.line.len() + chunk.len() > self.max_bytes {
            return Err(TooLarge(self.max_bytes));
        }
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    fn process_line(&mut self, mut line: &[u8], out: &mut Vec<SseFrame>) -> Result<(), TooLarge> {
        if !self.started {
            self.started = true;
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(b" ").unwrap_or(v))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"event" => self.event = value.into_owned(),
            b"data" => {
                if self.data.len() + value.len() + 1 > self.max_bytes {
                    return Err(TooLarge(self.max_bytes));
                }
                self.data.push_str(&value);
                self.data.push('\n');
            }
            b"id" if !value.contains('\0') => self.last_id = value.into_owned(),
            b"retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits past u64 are still "a number" to the standard; saturate instead of failing.
                self.retry = Some(Duration::from_millis(value.parse().unwrap_or(u64::MAX)));
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut Vec<SseFrame>) {
        let retry = self.retry.take();
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            // Nothing to dispatch, but a `retry` alone still told us something; keep it for the next event.
            self.retry = retry;
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        out.push(SseFrame {
            event: if event.is_empty() { "message".into() } else { event },
            data,
            id: self.last_id.clone(),
            retry,
        });
    }
}

/// The events of a byte stream (an HTTP body). A transport error ends the stream with its text.
pub fn frames<S, B, E>(bytes: S) -> impl Stream<Item = Result<SseFrame, String>> + Send
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    struct State<S> {
        bytes: std::pin::Pin<Box<S>>,
        parser: SseParser,
        ready: VecDeque<SseFrame>,
        /// Handed out after the events completed before it.
        error: Option<String>,
        ended: bool,
    }
    let state = State {
        bytes: Box::pin(bytes),
        parser: SseParser::default(),
        ready: VecDeque::new(),
        error: None,
        ended: false,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(f) = st.ready.pop_front() {
                return Some((Ok(f), st));
            }
            if let Some(e) = st.error.take() {
                return Some((Err(e), st));
            }
            if st.ended {
                return None;
            }
            match st.bytes.next().await {
                Some(Ok(chunk)) => {
                    let mut out = Vec::new();
                    let fed = st.parser.feed(chunk.as_ref(), &mut out);
                    st.ready.extend(out);
                    if let Err(e) = fed {
                        st.ended = true;
                        st.error = Some(e.to_string());
                    }
                }
                Some(Err(e)) => {
                    st.ended = true;
                    st.error = Some(e.to_string());
                }
                None => st.ended = true,
            }
        }
    })
}

/// Parses a whole stream at once (tests, fuzzing).
pub fn parse_all(bytes: &[u8]) -> Result<Vec<SseFrame>, TooLarge> {
    let mut out = Vec::new();
    SseParser::default().feed(bytes, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: &str, data: &str, id: &str) -> SseFrame {
        SseFrame { event: event.into(), data: data.into(), id: id.into(), retry: None }
    }

    /// Every split of `input` into 1, 2 and 3 pieces gives the events of the whole.
    fn all_splits_agree(input: &[u8]) -> Vec<SseFrame> {
        let whole = parse_all(input).unwrap();
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let mut p = SseParser::default();
                let mut out = Vec::new();
                for part in [&input[..i], &input[i..j], &input[j..]] {
                    p.feed(part, &mut out).unwrap();
                }
                assert_eq!(out, whole, "split at {i}, {j} of {:?}", String::from_utf8_lossy(input));
            }
        }
        whole
    }

    #[test]
    fn a_stream_starting_with_a_bom_is_read_and_the_bom_dropped_once() {
        // eventsource-stream 0.2.3 panicked here ("start byte index 1 is not a char boundary").
        let got = all_splits_agree(b"\xEF\xBB\xBFevent: intermediate\ndata: {\"a\":1}\n\n\xEF\xBB\xBFdata: x\n\n");
        // The second BOM is not at the stream's start: it is part of a field name no one knows.
        assert_eq!(got, vec![ev("intermediate", "{\"a\":1}", "")]);
        assert_eq!(all_splits_agree(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: y\n\n"), vec![]);
    }

    #[test]
    fn line_ends_cr_lf_crlf_even_split_across_chunks() {
        let want = vec![ev("a", "1\n2", "7"), ev("message", "3", "7")];
        assert_eq!(all_splits_agree(b"event: a\rdata: 1\r\ndata:2\nid: 7\r\r\ndata: 3\r\n\r\n"), want);
        // CR then LF in separate chunks is one line end, not two (which would dispatch early).
        let mut p = SseParser::default();
        let mut out = Vec::new();
        p.feed(b"data: a\r", &mut out).unwrap();
        p.feed(b"", &mut out).unwrap();
        p.feed(b"\ndata: b\r", &mut out).unwrap();
        assert!(out.is_empty());
        p.feed(b"\n\r\n", &mut out).unwrap();
        assert_eq!(out, vec![ev("message", "a\nb", "")]);
    }

    #[test]
    fn fields_as_the_standard_says() {
        let got = all_splits_agree(
            b": comment\nevent\ndata\ndata:  two spaces\nid: a\0b\nretry: 12x\nunknown: 1\nevent:e\n\nid\ndata: z\nretry: 1500\n\n\n",
        );
        assert_eq!(got[0], ev("e", "\n two spaces", ""), "no NUL ids, one space stripped, bare `data` is empty");
        assert_eq!(got[1], SseFrame { retry: Some(Duration::from_millis(1500)), ..ev("message", "z", "") });
        assert_eq!(got.len(), 2, "a blank line with no data dispatches nothing");
        // The id is sticky, and an event with no data leaves nothing but the id behind.
        assert_eq!(
            all_splits_agree(b"id: 3\ndata: a\n\ndata: b\n\nid: 4\n\ndata: c\n\n")
                .iter()
                .map(|f| f.id.as_str())
                .collect::<Vec<_>>(),
            ["3", "3", "4"]
        );
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_and_an_unfinished_event_is_dropped() {
        let got = all_splits_agree(b"data: \xff\xfe ok \xe2\x82\n\ndata: never");
        assert_eq!(got, vec![ev("message", "\u{fffd}\u{fffd} ok \u{fffd}", "")]);
    }

    #[test]
    fn an_oversized_line_is_an_error_not_an_allocation_without_end() {
        let mut p = SseParser::with_limit(16);
        let mut out = Vec::new();
        assert!(p.feed(b"data: 0123456789", &mut out).is_ok());
        assert_eq!(p.feed(b"abcdef", &mut out), Err(TooLarge(16)));
        let mut p = SseParser::with_limit(16);
        assert!(p.feed(b"data: 0123456789\ndata: 0123456789\n", &mut out).is_err());
    }

    #[tokio::test]
    async fn the_stream_adapter_hands_out_events_then_the_transport_error() {
        let chunks: Vec<Result<&[u8], String>> =
            vec![Ok(b"\xEF\xBB"), Ok(b"\xBFdata: 1\n"), Ok(b"\n"), Err("reset".into())];
        let got: Vec<_> = frames(futures_util::stream::iter(chunks)).collect().await;
        assert_eq!(got, vec![Ok(ev("message", "1", "")), Err("reset".to_string())]);
    }
}
