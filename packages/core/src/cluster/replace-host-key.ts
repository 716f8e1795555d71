import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import { probeHostKey } from "../ssh/host-key.ts";
import type { ClusterServices } from "./cluster-services.ts";
import type { ReplaceHostKeyInput } from "./replace-host-key.types.ts";

/**
 * Pins a node's new host key (after a reinstall, say). The node must present right now the key
 * the admin confirmed: a key that changed again in between is refused, not pinned blindly.
 */
export async function replaceHostKey(
  services: ClusterServices,
  input: ReplaceHostKeyInput,
): Promise<Result<{ nodeName: string; previous: string; pinned: string }>> {
  const node = await services.registry.findNode(input.nodeId);
  if (!node) return err(new AppError("NOT_FOUND", "That node is not registered (any more)."));
  const presented = await probeHostKey(node.host, node.port);
  if (!presented.ok) return presented;
  if (presented.value.fingerprint !== input.hostKey.fingerprint) {
    return err(
      new AppError(
        "HOST_KEY_MISMATCH",
        `${node.host}:${node.port} now presents ${presented.value.fingerprint}, not the ${input.hostKey.fingerprint} you confirmed. Check the node before replacing its key.`,
        { node: node.name },
      ),
    );
  }
  if (presented.value.fingerprint === node.hostKey.fingerprint) {
    return err(
      new AppError(
        "CONFLICT",
        `Node ${node.name} already has ${node.hostKey.fingerprint} pinned.`,
        {
          node: node.name,
        },
      ),
    );
  }
  await services.registry.replaceHostKey(node.id, presented.value);
  services.pool.disconnect(node);
  return ok({
    nodeName: node.name,
    previous: node.hostKey.fingerprint,
    pinned: presented.value.fingerprint,
  });
}
