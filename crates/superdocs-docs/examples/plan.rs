//! Runs the stand-in AI on a document, for trying instructions by hand.
//!
//! Usage: cargo run -p superdocs-docs --example plan -- <file.html> "<instruction>"
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(instruction)) = (args.next(), args.next()) else {
        eprintln!("usage: plan <file.html> <instruction>");
        std::process::exit(2);
    };
    let html = std::fs::read_to_string(path).expect("read");
    let plan = superdocs_docs::plan(&instruction, &html);
    for line in &plan.progress {
        println!("  … {line}");
    }
    println!("{}", plan.reply);
    for e in &plan.edits {
        println!("- {:?} {:?} after {:?}: {}", e.operation, e.chunk_id, e.insert_after_chunk_id, e.explanation);
    }
    println!("summary: {}", plan.summary);
}
