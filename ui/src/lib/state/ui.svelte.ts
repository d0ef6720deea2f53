// Which overlays are open. One at a time for modal dialogs; Esc closes the top one.

export type Dialog = null | "export" | "settings" | "jump" | "quit";

class UiState {
  dialog = $state<Dialog>(null);
  settingsTab = $state<"profiles" | "defaults" | "general" | "advanced">("profiles");
  drawer = $state(false);
  /** Paths being dragged over the window (null when no drag is in progress). */
  dragPaths = $state<string[] | null>(null);
  /** Narrow windows show one side pane at a time over the document. */
  narrowPane = $state<null | "sidebar" | "chat">(null);

  open(d: Exclude<Dialog, null>, tab?: UiState["settingsTab"]) {
    if (tab) this.settingsTab = tab;
    this.dialog = d;
  }
  /** Esc: closes the topmost thing; returns whether anything was open. */
  closeTop(): boolean {
    if (this.dragPaths) this.dragPaths = null;
    else if (this.dialog) this.dialog = null;
    else if (this.drawer) this.drawer = false;
    else if (this.narrowPane) this.narrowPane = null;
    else return false;
    return true;
  }
}

export const ui = new UiState();
