// Who is connected, their settings and usage: the state the title bar and the first-run screen read.
import * as ipc from "../ipc";
import type { AppSettings } from "../bindings/AppSettings";
import type { InputRules } from "../bindings/InputRules";
import type { Profile } from "../bindings/Profile";
import type { ProfileList } from "../bindings/ProfileList";
import type { Usage } from "../bindings/Usage";
import { toasts } from "./toasts.svelte";
import { locale, t } from "../i18n.svelte";

class AppState {
  version = $state("");
  profiles = $state<ProfileList>({ profiles: [], active: null, unopened: null });
  settings = $state<AppSettings | null>(null);
  /** The core's formats, file and message limits, named before anything is sent. */
  rules = $state<InputRules | null>(null);
  usage = $state<Usage | null>(null);
  loaded = $state(false);
  /** The last key-store location reported after connecting ("Stored in GNOME Keyring"). */
  keyStoredIn = $state<string | null>(null);

  active = $derived<Profile | null>(this.profiles.profiles.find((p) => p.name === this.profiles.active) ?? null);
  isDemo = $derived(this.active?.kind === "demo");

  async load() {
    // The version on its own: it shows even when the rest fails to load.
    ipc.appVersion().then((v) => (this.version = v)).catch(() => {});
    const [profiles, settings, rules] = await Promise.all([ipc.listProfiles(), ipc.getSettings(), ipc.inputRules()]);
    this.profiles = profiles;
    this.settings = settings;
    locale.chosen = settings.language;
    this.rules = rules;
    if (this.active) this.usage = await ipc.getUsage().catch(() => null);
    this.loaded = true;
  }

  async connect(name: string, key: string, baseUrl?: string) {
    const p = await ipc.connect(name, key, baseUrl);
    this.keyStoredIn = p.backend_label;
    toasts.info(p.backend_label ? t("connect:connectedStoredIn", { place: p.backend_label }) : t("connect:connected"));
    this.profiles = await ipc.listProfiles();
    this.usage = await ipc.getUsage().catch(() => null);
  }

  /** Retry for the profile start-up could not reopen (the keyring was locked): opens it where it was. */
  async reopen() {
    try {
      await ipc.reopenProfile();
    } finally {
      this.profiles = await ipc.listProfiles();
    }
    this.usage = await ipc.getUsage().catch(() => null);
  }

  async startDemo() {
    await ipc.startDemo();
    this.profiles = await ipc.listProfiles();
    this.usage = await ipc.getUsage().catch(() => null);
  }

  async switchTo(name: string) {
    await ipc.switchProfile(name);
    this.profiles = await ipc.listProfiles();
    this.usage = await ipc.getUsage().catch(() => null);
  }

  async removeProfile(name: string) {
    this.profiles = await ipc.deleteProfile(name);
  }

  async saveSettings(next: AppSettings) {
    this.settings = await ipc.saveSettings(next);
    locale.chosen = this.settings.language;
  }
}

export const app = new AppState();
