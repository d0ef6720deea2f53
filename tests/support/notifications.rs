//! A notification server the test can read: it owns `org.freedesktop.Notifications` on the session bus
//! (the private one of `scripts/desktop-session.sh`) and keeps every notification the app shows. It can
//! also "click" one, the way a desktop shell reports the click back (the ActionInvoked signal).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zbus::object_server::SignalEmitter;
use zbus::OwnedVariant;

const PATH: &str = "/org/freedesktop/Notifications";

#[derive(Debug, Clone)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
}

struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        let id = shown.len() as u32 + 1;
        shown.push(Shown { id, app_name, summary, body, actions });
        id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        ("superdocs-e2e".into(), "superdocs".into(), "1".into(), "1.2".into())
    }

    #[zbus(signal)]
    async fn action_invoked(emitter: &SignalEmitter<'_>, id: u32, action_key: &str) -> zbus::Result<()>;
}

pub struct NotificationServer {
    connection: zbus::Connection,
    shown: Arc<Mutex<Vec<Shown>>>,
}

impl NotificationServer {
    /// Takes the notification service name on the session bus (fails if a real one holds it).
    pub async fn start() -> NotificationServer {
        let shown = Arc::new(Mutex::new(Vec::new()));
        // The bus is the one of scripts/desktop-session.sh (DBUS_SESSION_BUS_ADDRESS).
        let connection = zbus::connection::Builder::session()
            .name("org.freedesktop.Notifications")
            .serve_at(PATH, Server { shown: shown.clone() })
            .build()
            .await
            .expect("own org.freedesktop.Notifications on the session bus");
        NotificationServer { connection, shown }
    }

    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().unwrap().clone()
    }

    /// What a click on the notification's body sends: ActionInvoked(id, "default").
    pub async fn click(&self, id: u32) {
        self.invoke(id, "default").await;
    }

    /// What a click on one of the notification's buttons sends: ActionInvoked(id, action).
    pub async fn invoke(&self, id: u32, action: &str) {
        let emitter = SignalEmitter::new(&self.connection, PATH).expect("signal emitter");
        Server::action_invoked(&emitter, id, action).await.expect("send ActionInvoked");
    }
}
