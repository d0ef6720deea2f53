//! The app's own files on disk: its data folders are the user's alone (0700 on Unix: the database
//! lists documents, sessions and exports), and text the user sends as a document is saved under a
//! name the app chooses, never over an earlier one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn io(what: &str, dir: &Path, e: std::io::Error) -> Error {
    Error::internal(format!("{what} {}.", dir.display())).with_detail(e.to_string())
}

/// Creates `dir` (and its parents) and makes it private: on Unix mode 0700, also when it already
/// existed with a wider mode (folders of earlier versions were 0755).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| io("Could not create the folder", dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io("Could not make private the folder", dir, e))?;
    }
    Ok(())
}

/// Saves `text` in `dir` (made private) as `Pasted text.txt`, or `Pasted text (2).txt` and so on when
/// that exists: a second paste never overwrites the first. The page only hints at the format: `.md`
/// when `hint` ends so, else `.txt`; the name and the folder are the app's.
pub fn save_outgoing_text(dir: &Path, hint: &str, text: &str) -> Result<PathBuf> {
    create_private_dir(dir)?;
    let ext = if hint.trim().to_ascii_lowercase().ends_with(".md") { "md" } else { "txt" };
    for n in 1..10_000u32 {
        let name = if n == 1 { format!("Pasted text.{ext}") } else { format!("Pasted text ({n}).{ext}") };
        let path = dir.join(name);
        // create_new: fails if the name is taken, also by a file that appeared meanwhile.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(|e| {
                    let _ = std::fs::remove_file(&path);
                    io("Could not save the text in", dir, e)
                })?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io("Could not save the text in", dir, e)),
        }
    }
    Err(Error::internal(format!("Too many pasted texts wait in {}.", dir.display())))
}

/// Is `path` a file the app saved in `dir` (so it may remove it once sent)?
pub fn is_in(dir: &Path, path: &Path) -> bool {
    path.parent() == Some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_paste_never_overwrites_the_first() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("outgoing");
        let a = save_outgoing_text(&out, "Pasted text.txt", "first").unwrap();
        let b = save_outgoing_text(&out, "Pasted text.txt", "second").unwrap();
        let c = save_outgoing_text(&out, "notes.MD", "# third").unwrap();
        assert_eq!(a, out.join("Pasted text.txt"));
        assert_eq!(b, out.join("Pasted text (2).txt"));
        assert_eq!(c, out.join("Pasted text.md"));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "first");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "second");
        assert!(is_in(&out, &b));
        assert!(!is_in(&out, Path::new("/home/me/Pasted text.txt")));
    }

    #[test]
    fn the_page_chooses_neither_the_name_nor_the_kind_of_file() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("outgoing");
        for hint in ["evil.desktop", "run.sh", "../../.bashrc", "x.exe", "a.txt\u{0}.desktop", ""] {
            let p = save_outgoing_text(&out, hint, "echo pwned").unwrap();
            assert_eq!(p.parent(), Some(out.as_path()), "{hint}");
            assert_eq!(p.extension().and_then(|e| e.to_str()), Some("txt"), "{hint}");
            assert!(p.file_name().unwrap().to_string_lossy().starts_with("Pasted text"), "{hint}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn data_folders_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&data).unwrap();
        assert_eq!(
            std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
            0o700,
            "an existing folder is tightened"
        );
        let out = data.join("outgoing");
        save_outgoing_text(&out, "x.txt", "t").unwrap();
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o700);
    }
}
