//! Small language helpers for the rule-based editor: sentence splitting, whole-word replacement
//! with the original capitalisation kept, and the fixed word lists (contractions, misspellings).

/// Contractions and informal words, with the formal wording.
pub(crate) const CONTRACTIONS: &[(&str, &str)] = &[
    ("ain't", "is not"),
    ("aren't", "are not"),
    ("can't", "cannot"),
    ("couldn't", "could not"),
    ("didn't", "did not"),
    ("doesn't", "does not"),
    ("don't", "do not"),
    ("hadn't", "had not"),
    ("hasn't", "has not"),
    ("haven't", "have not"),
    ("he'd", "he would"),
    ("he'll", "he will"),
    ("he's", "he is"),
    ("here's", "here is"),
    ("i'd", "I would"),
    ("i'll", "I will"),
    ("i'm", "I am"),
    ("i've", "I have"),
    ("isn't", "is not"),
    ("it'd", "it would"),
    ("it'll", "it will"),
    ("it's", "it is"),
    ("let's", "let us"),
    ("mightn't", "might not"),
    ("mustn't", "must not"),
    ("shan't", "shall not"),
    ("she'd", "she would"),
    ("she'll", "she will"),
    ("she's", "she is"),
    ("shouldn't", "should not"),
    ("that's", "that is"),
    ("there's", "there is"),
    ("they'd", "they would"),
    ("they'll", "they will"),
    ("they're", "they are"),
    ("they've", "they have"),
    ("wasn't", "was not"),
    ("we'd", "we would"),
    ("we'll", "we will"),
    ("we're", "we are"),
    ("we've", "we have"),
    ("weren't", "were not"),
    ("what's", "what is"),
    ("where's", "where is"),
    ("who's", "who is"),
    ("won't", "will not"),
    ("wouldn't", "would not"),
    ("you'd", "you would"),
    ("you'll", "you will"),
    ("you're", "you are"),
    ("you've", "you have"),
    ("y'all", "you all"),
    ("gonna", "going to"),
    ("wanna", "want to"),
    ("gotta", "have to"),
    ("kinda", "somewhat"),
    ("sorta", "somewhat"),
];

/// Common misspellings and their corrections.
pub(crate) const MISSPELLINGS: &[(&str, &str)] = &[
    ("teh", "the"),
    ("recieve", "receive"),
    ("recieved", "received"),
    ("seperate", "separate"),
    ("seperately", "separately"),
    ("occured", "occurred"),
    ("occurence", "occurrence"),
    ("definately", "definitely"),
    ("accomodate", "accommodate"),
    ("acheive", "achieve"),
    ("adress", "address"),
    ("beleive", "believe"),
    ("calender", "calendar"),
    ("comming", "coming"),
    ("enviroment", "environment"),
    ("goverment", "government"),
    ("wich", "which"),
    ("untill", "until"),
    ("thier", "their"),
    ("truely", "truly"),
    ("tommorow", "tomorrow"),
    ("tomorow", "tomorrow"),
    ("wierd", "weird"),
    ("begining", "beginning"),
    ("buisness", "business"),
    ("existance", "existence"),
    ("independant", "independent"),
    ("neccessary", "necessary"),
    ("necessery", "necessary"),
    ("noticable", "noticeable"),
    ("publically", "publicly"),
    ("reccomend", "recommend"),
    ("recomend", "recommend"),
    ("refered", "referred"),
    ("sucessful", "successful"),
    ("succesful", "successful"),
    ("alot", "a lot"),
    ("arguement", "argument"),
    ("commited", "committed"),
    ("concious", "conscious"),
    ("embarass", "embarrass"),
    ("foriegn", "foreign"),
    ("grammer", "grammar"),
    ("harrass", "harass"),
    ("occassion", "occasion"),
    ("persue", "pursue"),
    ("posession", "possession"),
    ("prefered", "preferred"),
    ("relevent", "relevant"),
    ("responsability", "responsibility"),
    ("similiar", "similar"),
    ("writting", "writing"),
    ("managment", "management"),
    ("maintainance", "maintenance"),
    ("comittee", "committee"),
    ("reciept", "receipt"),
    ("acknowledgement", "acknowledgment"),
    ("agressive", "aggressive"),
    ("apparantly", "apparently"),
    ("basicly", "basically"),
    ("collegue", "colleague"),
    ("completly", "completely"),
    ("finaly", "finally"),
    ("freind", "friend"),
    ("happend", "happened"),
    ("immediatly", "immediately"),
    ("knowlege", "knowledge"),
    ("liason", "liaison"),
    ("millenium", "millennium"),
    ("mispell", "misspell"),
    ("occuring", "occurring"),
    ("paralell", "parallel"),
    ("priviledge", "privilege"),
    ("quater", "quarter"),
    ("realy", "really"),
    ("remeber", "remember"),
    ("schedual", "schedule"),
    ("strenght", "strength"),
    ("supercede", "supersede"),
    ("threshhold", "threshold"),
    ("wether", "whether"),
];

/// Splits text into sentences at `.`, `!` or `?` followed by a space and a capital, a digit or a
/// quote, not after common abbreviations.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    const ABBREVIATIONS: &[&str] =
        &["e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "vs", "etc", "inc", "no", "fig", "st"];
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '.' | '!' | '?') {
            // Closing quotes and brackets stay with the sentence they end.
            let mut end = i + 1;
            while end < chars.len()
                && matches!(chars[end], '"' | '\'' | ')' | '\u{201d}' | '\u{2019}' | '!' | '?' | '.')
            {
                end += 1;
            }
            let at_end = end >= chars.len();
            let next_starts = !at_end
                && chars[end] == ' '
                && chars
                    .get(end + 1)
                    .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '\u{201c}' | '('));
            let word_before: String = chars[start..i]
                .iter()
                .rev()
                .take_while(|c| !c.is_whitespace())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let abbreviation = c == '.' && ABBREVIATIONS.contains(&word_before.to_lowercase().as_str());
            if (at_end || next_starts) && !abbreviation {
                let s: String = chars[start..end].iter().collect();
                out.push(s.trim().to_string());
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    let rest: String = chars[start..].iter().collect();
    if !rest.trim().is_empty() {
        out.push(rest.trim().to_string());
    }
    out
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Replaces whole words found in `dict` (matched case-insensitively, `’` read as `'`), keeping the
/// capitalisation of the original. Returns the new text and the (from, to) pairs replaced.
pub(crate) fn replace_words(text: &str, dict: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut changes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() {
            let c = chars[i];
            let apostrophe_inside =
                matches!(c, '\'' | '\u{2019}') && chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) && i > start;
            if c.is_alphanumeric() || apostrophe_inside {
                i += 1;
            } else {
                break;
            }
        }
        let word: String = chars[start..i].iter().collect();
        let key = word.to_lowercase().replace('\u{2019}', "'");
        match dict.iter().find(|(from, _)| *from == key) {
            Some((_, to)) => {
                let replaced = match_case(&word, to);
                changes.push((word.clone(), replaced.clone()));
                out.push_str(&replaced);
            }
            None => out.push_str(&word),
        }
    }
    (out, changes)
}

/// `to` written with the capitalisation of `original` (ALL CAPS, Capitalised, or as given).
pub(crate) fn match_case(original: &str, to: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return to.to_uppercase();
    }
    if original.chars().next().is_some_and(char::is_uppercase) {
        let mut c = to.chars();
        return match c.next() {
            Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        };
    }
    to.to_string()
}

/// Replaces every case-insensitive occurrence of `from` with `to`; returns the count too.
pub(crate) fn replace_phrase(text: &str, from: &str, to: &str) -> (String, usize) {
    if from.is_empty() {
        return (text.to_string(), 0);
    }
    let lower_text = text.to_lowercase();
    let lower_from = from.to_lowercase();
    // Lower-casing may change byte lengths outside ASCII; then only exact matches are safe.
    if lower_text.len() != text.len() || lower_from.len() != from.len() {
        let n = text.matches(from).count();
        return (text.replace(from, to), n);
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut pos = 0;
    while let Some(found) = lower_text[pos..].find(&lower_from) {
        let at = pos + found;
        out.push_str(&text[pos..at]);
        out.push_str(to);
        pos = at + from.len();
        count += 1;
    }
    out.push_str(&text[pos..]);
    (out, count)
}

/// Title Case for a heading, small words kept lower case except at the start.
pub(crate) fn title_case(s: &str) -> String {
    const SMALL: &[&str] =
        &["a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"];
    s.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL.contains(&w.to_lowercase().as_str()) {
                w.to_lowercase()
            } else if w.chars().any(char::is_uppercase) {
                w.to_string() // keep acronyms and names as typed
            } else {
                match_case("X", w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_terminal_punctuation_only() {
        assert_eq!(
            sentences("We met Dr. Smith today. It went well! Did it? Yes, e.g. this. 3 more."),
            ["We met Dr. Smith today.", "It went well!", "Did it?", "Yes, e.g. this.", "3 more."]
        );
        assert_eq!(sentences("No end"), ["No end"]);
        assert_eq!(sentences("Version 2.5 is out. Done."), ["Version 2.5 is out.", "Done."]);
    }

    #[test]
    fn words_are_replaced_whole_and_keep_their_case() {
        let (t, ch) = replace_words("Don't worry, it’s fine; we're DON'T. Isn'tx", CONTRACTIONS);
        assert_eq!(t, "Do not worry, it is fine; we are DO NOT. Isn'tx");
        assert_eq!(ch.len(), 4);
        let (t, _) = replace_words("i'm here. teh end, Teh start; tehran", MISSPELLINGS);
        assert_eq!(t, "i'm here. the end, The start; tehran");
        let (t, _) = replace_words("i'm here", CONTRACTIONS);
        assert_eq!(t, "I am here");
    }

    #[test]
    fn phrases_are_replaced_case_insensitively() {
        assert_eq!(
            replace_phrase("Acme and ACME and acmes", "acme", "Globex"),
            ("Globex and Globex and Globexs".into(), 3)
        );
    }

    #[test]
    fn titles_are_title_cased() {
        assert_eq!(title_case("cover letter for a product manager role"), "Cover Letter for a Product Manager Role");
        assert_eq!(title_case("the API plan"), "The API Plan");
    }
}
