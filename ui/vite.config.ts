/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri serves the built files itself; the dev server is only for `tauri dev`.
// `--mode mock` compiles in the mock backend (src/mock) and builds into dist-mock/ for the browser tests.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: mode === "mock" ? "dist-mock" : "dist", emptyOutDir: true },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "jsdom",
  },
}));
