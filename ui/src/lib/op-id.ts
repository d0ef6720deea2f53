// Ids the UI gives to operations so it can follow their retries and cancel them (ipc `retry` event).
let counter = 0;
export function newOpId(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${counter}`;
}
