import { adminProcedure, router } from "../../trpc.ts";
import { removeNodeHandler } from "./remove-node.handler.ts";
import { removeNodeInput } from "./remove-node.schema.ts";
import { replaceHostKeyHandler } from "./replace-host-key.handler.ts";
import { replaceHostKeyInput } from "./replace-host-key.schema.ts";

export const nodesRouter = router({
  /** Pins the key a node presents now, after an admin checked why it changed. */
  replaceHostKey: adminProcedure.input(replaceHostKeyInput).mutation(replaceHostKeyHandler),
  remove: adminProcedure.input(removeNodeInput).mutation(removeNodeHandler),
});
