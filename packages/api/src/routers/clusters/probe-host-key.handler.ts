import { probeHostKey } from "@corral/core";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { ProbeHostKeyInput } from "./probe-host-key.schema.ts";

/** The host key the operator must confirm before Corral connects with credentials. */
export async function probeHostKeyHandler({ input }: { input: ProbeHostKeyInput }) {
  return resultOrThrow(await probeHostKey(input.host, input.port));
}
