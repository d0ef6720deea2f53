// Copies text for the user: the Clipboard API where the webview allows it, else the selection fallback
// (WebKitGTK refuses the API outside a user gesture's microtask).
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
}
