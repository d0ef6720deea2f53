//! The IPC commands of ui/src/lib/ipc.ts, one module per area. Each maps onto the core and returns
//! the core's `Error` (serialized as docs/error-handling.md §4) on failure.
//!
//! Every command is declared once, in `ipc_commands!` below: its name, its arguments as the page sends
//! them (Tauri's State/AppHandle parameters left out; `channel(T)` for a `Channel<T>`) and its result
//! (the `Ok` type). From that list come the handler `main.rs` registers and the TypeScript call map
//! `ui/src/lib/bindings/Commands.ts` (`bindings.rs`), which types `ipc.ts` and the mock router. A test
//! (`bindings::tests::declarations_match_the_functions`) checks each declaration against its function.

pub mod chat;
pub mod export;
pub mod files;
pub mod lifecycle;
pub mod profiles;
pub mod sessions;
pub mod settings;
pub mod support;
pub mod update;

/// One argument of a declaration: `arg(T)` is sent as JSON, `channel(T)` is a `Channel<T>` the page opens.
#[cfg(test)]
pub struct ArgDecl {
    pub name: &'static str,
    pub channel: bool,
    /// The Rust type as written, for the check against the function.
    pub rust: &'static str,
    pub ts: fn(&ts_rs::Config) -> (String, Vec<ts_rs::Dependency>),
}

#[cfg(test)]
pub struct CommandDecl {
    pub module: &'static str,
    pub name: &'static str,
    pub args: Vec<ArgDecl>,
    pub result_rust: &'static str,
    pub result: fn(&ts_rs::Config) -> (String, Vec<ts_rs::Dependency>),
}

#[cfg(test)]
/// The TypeScript name of `T` and the named types it needs imported: itself when it has a file of its
/// own, else those it is built of (the element of a `Vec`, the inside of an `Option`).
#[cfg(test)]
pub fn ts_of<T: ts_rs::TS + 'static + ?Sized>(cfg: &ts_rs::Config) -> (String, Vec<ts_rs::Dependency>) {
    struct Named<'a>(&'a ts_rs::Config, Vec<ts_rs::Dependency>);
    impl ts_rs::TypeVisitor for Named<'_> {
        fn visit<U: ts_rs::TS + 'static + ?Sized>(&mut self) {
            match ts_rs::Dependency::from_ty::<U>(self.0) {
                Some(own) => self.1.push(own),
                None => U::visit_generics(self),
            }
        }
    }
    let mut named = Named(cfg, Vec::new());
    ts_rs::TypeVisitor::visit::<T>(&mut named);
    (T::name(cfg), named.1)
}

macro_rules! ipc_commands {
    ($( $module:ident :: $name:ident ( $( $arg:ident : $kind:ident ( $ty:ty ) ),* $(,)? ) -> $ret:ty ; )*) => {
        /// The invoke handler of every declared command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$( $module::$name ),*]
        }

        /// The declarations, for the TypeScript call map and the check against the functions.
        #[cfg(test)]
        pub fn declarations() -> Vec<CommandDecl> {
            vec![$( CommandDecl {
                module: stringify!($module),
                name: stringify!($name),
                args: vec![$( ArgDecl {
                    name: stringify!($arg),
                    channel: ipc_commands!(@is_channel $kind),
                    rust: stringify!($ty),
                    ts: ts_of::<$ty>,
                } ),*],
                result_rust: stringify!($ret),
                result: ts_of::<$ret>,
            } ),*]
        }
    };
    (@is_channel arg) => { false };
    (@is_channel channel) => { true };
}

// The types the declarations name (only the test that generates Commands.ts reads them).
#[cfg(test)]
use {
    crate::events::{JobEvent, JobSummary},
    crate::open_with::Opened,
    crate::startup::StartupProblem,
    chat::SendArgs,
    export::ExportArgs,
    superdocs_client::export::ExportOutcome,
    superdocs_client::input_rules::{FileInfo, InputRules},
    superdocs_client::profiles::{KeyStored, Profile, ProfileList},
    superdocs_client::progress::TransferProgress,
    superdocs_client::settings::AppSettings,
    superdocs_client::store::UploadTarget,
    superdocs_client::types::{
        ApproveResponse, AttachmentStatus, ChangeDecision, ChatAccepted, History, RevertResponse, SessionSummary, Usage,
    },
    superdocs_client::upload_queue::{InterruptedUpload, QueuedUpload, UploadEvent},
    update::{UpdateInfo, UpdateProgress},
};

ipc_commands! {
    settings::app_version() -> String;
    settings::system_locale() -> Option<String>;
    settings::get_settings() -> AppSettings;
    settings::save_settings(settings: arg(AppSettings)) -> AppSettings;
    settings::get_usage() -> Option<Usage>;
    settings::pick_certificate() -> Option<String>;
    support::open_logs_folder() -> ();
    support::diagnostics() -> String;
    lifecycle::startup_problem() -> Option<StartupProblem>;
    lifecycle::retry_startup() -> Option<StartupProblem>;
    lifecycle::reset_local_data() -> Option<StartupProblem>;
    lifecycle::open_data_folder() -> ();
    lifecycle::take_opened() -> Opened;
    lifecycle::quit_ack() -> ();
    lifecycle::quit_cancelled() -> ();
    lifecycle::quit_now() -> ();
    profiles::list_profiles() -> ProfileList;
    profiles::reopen_profile() -> Profile;
    profiles::connect(name: arg(String), key: arg(String), base_url: arg(Option<String>)) -> Profile;
    profiles::set_key(profile: arg(String), key: arg(String)) -> KeyStored;
    profiles::test_key(profile: arg(String)) -> Option<Usage>;
    profiles::delete_key(profile: arg(String)) -> ();
    profiles::delete_profile(profile: arg(String)) -> ProfileList;
    profiles::switch_profile(profile: arg(String)) -> Profile;
    profiles::start_demo() -> Profile;
    sessions::list_sessions(limit: arg(Option<u32>)) -> Vec<SessionSummary>;
    sessions::get_history(session_id: arg(String)) -> History;
    sessions::new_session() -> String;
    sessions::list_attachments(session_id: arg(String)) -> Vec<AttachmentStatus>;
    chat::watch_jobs(on_event: channel(JobEvent)) -> ();
    chat::retry_jobs_now() -> ();
    chat::send_message(args: arg(SendArgs), op_id: arg(String)) -> ChatAccepted;
    chat::approve_changes(job_id: arg(String), session_id: arg(String), decisions: arg(Vec<ChangeDecision>)) -> ApproveResponse;
    chat::cancel_job(job_id: arg(String)) -> ();
    chat::cancel_operation(op_id: arg(String)) -> ();
    chat::list_jobs() -> Vec<JobSummary>;
    chat::revert(session_id: arg(String), turn_index: arg(i64)) -> RevertResponse;
    files::stat_paths(paths: arg(Vec<String>)) -> Vec<FileInfo>;
    files::input_rules() -> InputRules;
    files::pick_files(mode: arg(UploadTarget)) -> Vec<String>;
    files::pick_folder(current: arg(Option<String>)) -> Option<String>;
    files::queue_uploads(paths: arg(Vec<String>), session_id: arg(String), mode: arg(UploadTarget), on_event: channel(UploadEvent)) -> Vec<QueuedUpload>;
    files::upload_text(session_id: arg(String), text: arg(String), filename: arg(String), mode: arg(UploadTarget), on_event: channel(UploadEvent)) -> QueuedUpload;
    files::cancel_upload(upload_id: arg(String)) -> ();
    files::retry_upload(upload_id: arg(String)) -> ();
    files::interrupted_uploads() -> Vec<InterruptedUpload>;
    export::export_document(args: arg(ExportArgs), op_id: arg(String), on_progress: channel(TransferProgress)) -> ExportOutcome;
    export::open_path(path: arg(String)) -> ();
    export::show_in_folder(path: arg(String)) -> ();
    export::open_url(url: arg(String)) -> ();
    update::check_update() -> Option<UpdateInfo>;
    update::download_update(on_progress: channel(UpdateProgress)) -> ();
    update::install_update() -> ();
}
