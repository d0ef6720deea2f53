//! A file manager the test can read: it owns `org.freedesktop.FileManager1` on the private session bus,
//! where "Show in folder" asks the desktop's file manager to reveal a file (ShowItems).

use std::sync::{Arc, Mutex};

const PATH: &str = "/org/freedesktop/FileManager1";

struct Server {
    shown: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.freedesktop.FileManager1")]
impl Server {
    fn show_items(&self, uris: Vec<String>, _startup_id: String) {
        self.shown.lock().unwrap().extend(uris);
    }

    fn show_folders(&self, uris: Vec<String>, _startup_id: String) {
        self.shown.lock().unwrap().extend(uris);
    }
}

pub struct FileManager {
    _connection: zbus::Connection,
    shown: Arc<Mutex<Vec<String>>>,
}

impl FileManager {
    pub async fn start() -> FileManager {
        let shown = Arc::new(Mutex::new(Vec::new()));
        let connection = zbus::connection::Builder::session()
            .name("org.freedesktop.FileManager1")
            .serve_at(PATH, Server { shown: shown.clone() })
            .build()
            .await
            .expect("own org.freedesktop.FileManager1 on the session bus");
        FileManager { _connection: connection, shown }
    }

    /// The file URIs the app asked to reveal.
    pub fn shown(&self) -> Vec<String> {
        self.shown.lock().unwrap().clone()
    }
}
