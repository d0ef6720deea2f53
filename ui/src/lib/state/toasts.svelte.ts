// Errors of background work (the `error` event, finished uploads elsewhere) shown as toasts.
import type { Error as ApiError } from "../bindings/Error";

export type Toast = { id: number; error?: ApiError; text?: string };

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  error(error: ApiError) {
    this.items.push({ id: this.#next++, error });
  }
  info(text: string) {
    const id = this.#next++;
    this.items.push({ id, text });
    setTimeout(() => this.dismiss(id), 4000);
  }
  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
