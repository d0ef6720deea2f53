//! Imports a file and prints its chunked HTML and page setup, for checking readers by hand.
//!
//! Usage: cargo run -p superdocs-docs --example import_file -- <file>
fn main() {
    let path = std::env::args().nth(1).expect("usage: import_file <file>");
    let bytes = std::fs::read(&path).expect("read");
    match superdocs_docs::import(&path, &bytes) {
        Ok(doc) => {
            println!("{}", doc.html);
            println!("-- {} chunks, page setup {:?}", doc.chunks_count, doc.page_setup);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
