//! Metrics and encoding of the PDF standard fonts we write with (Helvetica, Helvetica-Bold,
//! Courier). They are built into every PDF reader, so no font file ships or loads at runtime; the
//! widths below are the Adobe AFM advance widths for ASCII, needed to wrap lines.

/// Helvetica advance widths (1/1000 em) for ' '..='~'.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // digits
    278, 278, 584, 584, 584, 556, 1015, // ':'..'@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
    667, 667, 611, // 'A'..'Z'
    278, 278, 278, 469, 556, 333, // '['..'`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, // 'a'..'z'
    334, 260, 334, 584, // '{'..'~'
];

/// Helvetica-Bold advance widths (1/1000 em) for ' '..='~'.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // digits
    333, 333, 584, 584, 584, 611, 975, // ':'..'@'
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
    667, 667, 611, // 'A'..'Z'
    333, 278, 333, 584, 556, 333, // '['..'`'
    556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, // 'a'..'z'
    389, 280, 389, 584, // '{'..'~'
];

/// Width of one character in em (Helvetica or Helvetica-Bold; oblique shares the upright widths).
pub(crate) fn char_width(c: char, bold: bool) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let w = match c {
        ' '..='~' => table[c as usize - 32],
        '\u{2022}' => 350,
        '\u{2013}' => 556,
        '\u{2014}' => 1000,
        '\u{2018}' | '\u{2019}' => 222,
        '\u{201c}' | '\u{201d}' => 333,
        '\u{2026}' => 1000,
        _ => 556,
    };
    w as f32 / 1000.0
}

/// Width of a string in em.
pub(crate) fn text_width(s: &str, bold: bool) -> f32 {
    s.chars().map(|c| char_width(c, bold)).sum()
}

/// Encodes text for a WinAnsiEncoding font; characters outside it become '?'.
pub(crate) fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            // encoding_rs would write an unmappable character as an HTML reference; a PDF needs one byte.
            let (b, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if unmappable || b.len() != 1 {
                b'?'
            } else {
                b[0]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_the_afm() {
        assert_eq!(char_width('W', false), 0.944);
        assert_eq!(char_width('i', false), 0.222);
        assert_eq!(char_width('m', true), 0.889);
        assert!((text_width("Hello", false) - 2.278).abs() < 1e-4);
    }

    #[test]
    fn win_ansi_is_one_byte_per_char() {
        assert_eq!(win_ansi("caf\u{e9} \u{2022} \u{4e2d}"), b"caf\xe9 \x95 ?".to_vec());
    }
}
