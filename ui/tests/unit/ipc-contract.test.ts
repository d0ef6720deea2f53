// The IPC call map (bindings/Commands.ts, generated from the shell's declarations) types every call:
// `npm run check` (svelte-check) fails if a misspelt command or argument below were accepted, because
// each @ts-expect-error would then be unused.
import { describe, expect, it } from "vitest";
import type { CommandArgs, CommandName, CommandResult } from "../../src/lib/ipc";

describe("the IPC call map", () => {
  it("names the shell's commands and their arguments", () => {
    const ok: CommandName = "queue_uploads";
    const args: CommandArgs<"get_history"> = { sessionId: "s_1" };
    // @ts-expect-error: no such command
    const misspelt: CommandName = "queue_upload";
    // @ts-expect-error: the argument is sessionId
    const wrongArg: CommandArgs<"get_history"> = { session: "s_1" };
    // @ts-expect-error: list_sessions answers a list, not one session
    const wrongResult: CommandResult<"list_sessions"> = { session_id: "s_1" };
    expect([ok, args.sessionId, misspelt, wrongArg, wrongResult]).toHaveLength(5);
  });
});
