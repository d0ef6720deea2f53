//! The command line, declared with clap (every command has `--help`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "superdocs",
    version,
    about = "The SuperDocs command-line client: chat with and edit documents, upload, export, follow jobs."
)]
#[command(
    after_help = "The API key comes from the profile's entry in the OS keyring (see `superdocs auth login`), or from SUPERDOCS_API_KEY when set.\nExit codes: 0 ok, 1 other, 2 usage, 3 auth/keyring, 4 quota, 5 invalid request, 6 network/server, 7 cancelled."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The profile to use (its server address and its key).
    #[arg(long, global = true, env = "SUPERDOCS_PROFILE", default_value = "default")]
    pub profile: String,
    /// The server address, overriding the profile's (https, or http on 127.0.0.1/localhost).
    #[arg(long, global = true, env = "SUPERDOCS_BASE_URL")]
    pub base_url: Option<String>,
    /// Machine-readable output: JSON on stdout; on failure the error object as JSON on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// More detail on stderr (-v: info, -vv: debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in, check or log out (the key is kept in the OS keyring).
    #[command(subcommand)]
    Auth(AuthCommand),
    /// List your sessions, most recent first.
    Sessions {
        /// How many to list.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Show a session's messages and document.
    History {
        /// The session id.
        session: String,
    },
    /// Upload files into a session (as its document, or as attachments).
    Upload(UploadArgs),
    /// Send a message; follows the job live and prints the reply.
    Chat(ChatArgs),
    /// List, show, cancel or watch jobs.
    Jobs {
        #[command(subcommand)]
        command: Option<JobsCommand>,
    },
    /// Rewind a session to before one of its user messages.
    Revert {
        #[arg(long)]
        session: String,
        /// The turn index of the user message to rewind to before.
        #[arg(long)]
        turn: i64,
    },
    /// Export a session's document to a file (or have it e-mailed when too large).
    Export(ExportArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store a key for the profile: read from stdin, or asked for without echo. Never from argv.
    Login,
    /// Show the profile, its server, the masked key and the keyring holding it.
    Status,
    /// Remove the profile's key from the keyring.
    Logout,
}

#[derive(Debug, Args)]
pub struct UploadArgs {
    /// Files to upload.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub session: String,
    /// Upload as read-only reference attachments instead of the session's document.
    #[arg(long)]
    pub attachment: bool,
}

#[derive(Debug, Args)]
pub struct ChatArgs {
    #[arg(long)]
    pub session: String,
    /// The message.
    pub message: String,
    #[arg(long, value_parser = ["core", "turbo", "pro", "max"])]
    pub model_tier: Option<String>,
    #[arg(long, value_parser = ["fast", "balanced", "deep"])]
    pub thinking_depth: Option<String>,
    /// Review each proposed change before it is applied.
    #[arg(long)]
    pub review: bool,
    /// Wait for the reply in one request instead of running a job.
    #[arg(long, conflicts_with = "review")]
    pub sync: bool,
    /// With --review: approve every proposed change without asking.
    #[arg(long, requires = "review", conflicts_with = "deny_all")]
    pub approve_all: bool,
    /// With --review: deny every proposed change without asking.
    #[arg(long, requires = "review")]
    pub deny_all: bool,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Your jobs, newest first.
    List {
        #[arg(long, value_parser = ["pending", "in_progress", "awaiting_approval", "completed", "failed", "cancelled"])]
        status: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One job in full.
    Show { id: String },
    /// Cancel a pending or running job.
    Cancel { id: String },
    /// Follow a job live until it ends (and decide its proposed changes, if asked to).
    Watch {
        id: String,
        /// Approve every change the job proposes.
        #[arg(long, conflicts_with = "deny_all")]
        approve_all: bool,
        /// Deny every change the job proposes.
        #[arg(long)]
        deny_all: bool,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long)]
    pub session: String,
    #[arg(long, value_parser = ["docx", "pdf", "html", "markdown", "txt"], default_value = "docx")]
    pub format: String,
    /// A folder, or a file path. Default: the current folder. Existing files are never overwritten.
    #[arg(long)]
    pub output: Option<PathBuf>,
    #[arg(long, value_parser = ["Letter", "A4", "Legal"])]
    pub paper_size: Option<String>,
    #[arg(long, value_parser = ["portrait", "landscape"])]
    pub orientation: Option<String>,
    #[arg(long, value_parser = ["normal", "narrow", "wide"])]
    pub margins: Option<String>,
    /// Watermark text (PDF only).
    #[arg(long)]
    pub watermark: Option<String>,
    /// Where the download link goes if the export is e-mailed (default: the account's address).
    #[arg(long)]
    pub email_to: Option<String>,
    /// Have the export e-mailed as a link instead of downloading it now.
    #[arg(long)]
    pub email: bool,
}
