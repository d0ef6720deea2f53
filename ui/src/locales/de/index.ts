// The German catalog: the same keys as English, typed against it.
import type { Catalog } from "../../lib/i18n.svelte";
import common from "./common.json";
import app from "./app.json";
import connect from "./connect.json";
import errors from "./errors.json";
import format from "./format.json";
import sessions from "./sessions.json";
import chat from "./chat.json";
import doc from "./doc.json";
import exports from "./exports.json";
import settings from "./settings.json";
import notify from "./notify.json";
// The shell's own words (menus, notifications, native dialogs), read by src-tauri/strings.rs.
import native from "./native.json";

export const de: Catalog = { common, app, connect, errors, format, sessions, chat, doc, exports, settings, notify, native };
