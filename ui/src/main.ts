import { mount } from "svelte";
import "./theme.css";
import App from "./App.svelte";

// The mock backend is compiled in only for `--mode mock` (dev:mock, build:mock, browser tests).
if (import.meta.env.MODE === "mock") await import("./mock/index");

const app = mount(App, { target: document.getElementById("app")! });
export default app;
