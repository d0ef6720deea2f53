//! The native menu bar, by platform convention: on macOS the app menu and an Edit menu (without it the
//! clipboard shortcuts do nothing in a webview), on every desktop File, View and Help. Items that act on
//! the page reach it as a `menu` event naming the same action as its keyboard shortcut (ui/src/lib/
//! shortcuts.ts), so the menu and the keys run one code path. The shortcuts stay the page's: no item
//! has an accelerator of its own, or a key press would run its action twice.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tauri::menu::{AboutMetadata, Menu, MenuBuilder, MenuEvent, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use ts_rs::TS;

use crate::logging;
use crate::quit;
use crate::strings::tr;

/// What a menu item asks the page to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MenuAction {
    NewSession,
    Upload,
    Export,
    Settings,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    ReportProblem,
}

impl MenuAction {
    const ALL: [MenuAction; 8] = [
        MenuAction::NewSession,
        MenuAction::Upload,
        MenuAction::Export,
        MenuAction::Settings,
        MenuAction::ThemeSystem,
        MenuAction::ThemeLight,
        MenuAction::ThemeDark,
        MenuAction::ReportProblem,
    ];

    fn id(self) -> &'static str {
        match self {
            MenuAction::NewSession => "new_session",
            MenuAction::Upload => "upload",
            MenuAction::Export => "export",
            MenuAction::Settings => "settings",
            MenuAction::ThemeSystem => "theme_system",
            MenuAction::ThemeLight => "theme_light",
            MenuAction::ThemeDark => "theme_dark",
            MenuAction::ReportProblem => "report_problem",
        }
    }

    fn from_id(id: &str) -> Option<MenuAction> {
        MenuAction::ALL.into_iter().find(|a| a.id() == id)
    }
}

const ZOOM_IN: &str = "zoom_in";
const ZOOM_OUT: &str = "zoom_out";
const ZOOM_RESET: &str = "zoom_reset";
const OPEN_LOGS: &str = "open_logs";
const CLOSE_WINDOW: &str = "close_window";
const QUIT: &str = "quit";
const ZOOM_STEPS: [f64; 9] = [0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75];

/// The current zoom as f64 bits (1.0 at start).
static ZOOM: AtomicU64 = AtomicU64::new(0x3FF0_0000_0000_0000);

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let name = app.package_info().name.clone();
    let about = AboutMetadata {
        name: Some(name.clone()),
        version: Some(app.package_info().version.to_string()),
        website: Some("https://superdocs.app".into()),
        ..AboutMetadata::default()
    };
    let file = SubmenuBuilder::new(app, tr("menu.file"))
        .text(MenuAction::NewSession.id(), tr("menu.newSession"))
        .text(MenuAction::Upload.id(), tr("menu.open"))
        .text(MenuAction::Export.id(), tr("menu.export"))
        .separator()
        .text(MenuAction::Settings.id(), tr("menu.settings"))
        .separator()
        // Our own items: GTK shows the predefined Close Window and Quit greyed out.
        .text(CLOSE_WINDOW, tr("menu.closeWindow"))
        .text(QUIT, tr("menu.quit"))
        .build()?;
    let theme = SubmenuBuilder::new(app, tr("menu.theme"))
        .text(MenuAction::ThemeSystem.id(), tr("menu.themeSystem"))
        .text(MenuAction::ThemeLight.id(), tr("menu.themeLight"))
        .text(MenuAction::ThemeDark.id(), tr("menu.themeDark"))
        .build()?;
    let view = SubmenuBuilder::new(app, tr("menu.view"))
        .item(&theme)
        .separator()
        .text(ZOOM_IN, tr("menu.zoomIn"))
        .text(ZOOM_OUT, tr("menu.zoomOut"))
        .text(ZOOM_RESET, tr("menu.actualSize"))
        .build()?;
    let help = SubmenuBuilder::new(app, tr("menu.help"))
        .text(MenuAction::ReportProblem.id(), tr("menu.reportProblem"))
        .text(OPEN_LOGS, tr("menu.openLogs"))
        .separator()
        .about(Some(about.clone()))
        .build()?;
    let mut menu = MenuBuilder::new(app);
    if cfg!(target_os = "macos") {
        let app_menu = SubmenuBuilder::new(app, &name)
            .about(Some(about))
            .separator()
            .services()
            .separator()
            .hide()
            .hide_others()
            .show_all()
            .separator()
            .quit()
            .build()?;
        let edit = SubmenuBuilder::new(app, tr("menu.edit"))
            .undo()
            .redo()
            .separator()
            .cut()
            .copy()
            .paste()
            .select_all()
            .build()?;
        menu = menu.items(&[&app_menu, &file, &edit, &view, &help]);
    } else {
        menu = menu.items(&[&file, &view, &help]);
    }
    menu.build()
}

pub fn on_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    tracing::debug!(id, "menu item chosen");
    if let Some(action) = MenuAction::from_id(id) {
        let _ = app.emit("menu", action);
        return;
    }
    match id {
        ZOOM_IN | ZOOM_OUT | ZOOM_RESET => zoom(app, id),
        CLOSE_WINDOW => {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.close();
            }
        }
        QUIT => quit::request(app),
        OPEN_LOGS => {
            if let Err(e) = logging::open_folder(app) {
                tracing::warn!("the logs folder could not be opened: {}", e.message);
            }
        }
        _ => {}
    }
}

/// The next zoom step in the chosen direction (browsers' steps), or back to 100 %.
fn zoom<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let now = f64::from_bits(ZOOM.load(Ordering::SeqCst));
    let next = match id {
        ZOOM_IN => ZOOM_STEPS.into_iter().find(|s| *s > now + 0.001).unwrap_or(now),
        ZOOM_OUT => ZOOM_STEPS.into_iter().rev().find(|s| *s < now - 0.001).unwrap_or(now),
        _ => 1.0,
    };
    if let Some(window) = app.get_webview_window("main") {
        if window.set_zoom(next).is_ok() {
            ZOOM.store(next.to_bits(), Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_action_has_one_id_and_it_is_its_wire_name() {
        for action in MenuAction::ALL {
            assert_eq!(MenuAction::from_id(action.id()), Some(action));
            assert_eq!(serde_json::to_value(action).unwrap(), serde_json::json!(action.id()));
        }
    }

    #[test]
    fn the_first_zoom_step_is_one() {
        assert_eq!(f64::from_bits(ZOOM.load(Ordering::SeqCst)), 1.0);
    }
}
