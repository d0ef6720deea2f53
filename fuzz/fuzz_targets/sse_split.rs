//! The SSE parser over any byte stream split anywhere: the same events as when fed all at once, and
//! every frame through the typed decoder, which may refuse it but never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use superdocs_client::sse::FrameDecoder;
use superdocs_client::sse_frames::{parse_all, SseParser};

fuzz_target!(|input: (Vec<u8>, Vec<u16>)| {
    let (data, cuts) = input;
    let whole = parse_all(&data).expect("no 256 MiB event in a fuzz input");
    let mut points: Vec<usize> = cuts.iter().map(|&c| c as usize % (data.len() + 1)).collect();
    points.sort_unstable();
    let mut parser = SseParser::default();
    let mut split = Vec::new();
    let mut at = 0;
    for p in points.into_iter().chain([data.len()]) {
        parser.feed(&data[at..p], &mut split).unwrap();
        parser.feed(&[], &mut split).unwrap();
        at = p;
    }
    assert_eq!(whole, split, "splitting changed the events");
    let mut decoder = FrameDecoder::default();
    for frame in &whole {
        let _ = decoder.decode(frame);
    }
});
