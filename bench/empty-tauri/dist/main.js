// The first (and only) IPC call; the bench waits for the line the command prints.
window.__TAURI_INTERNALS__.invoke("ready").then((v) => {
  document.body.dataset.ready = v;
});
