import { mount } from "svelte";
import "./theme.css";
import App from "./App.svelte";
import { locale } from "./lib/i18n.svelte";
import { systemLocale } from "./lib/ipc";

// The mock backend is compiled in only for `--mode mock` (dev:mock, build:mock, browser tests).
if (import.meta.env.MODE === "mock") await import("./mock/index");

// The OS language picks the translation (Settings may name another); the browser's stands in until then.
void systemLocale().then((tag) => (locale.system = tag ?? locale.system)).catch(() => {});

const app = mount(App, { target: document.getElementById("app")! });
export default app;
