import type { FileHash } from "./hash-config-files.ts";
import type { VmConfigCheck } from "./inventory.types.ts";

/**
 * Compares one config file's copies across the given nodes from hashes the monitor keeps per
 * node (by path). null while a node has not been hashed yet: the card waits rather than
 * claiming a drift or its absence.
 */
export function checkConfigCopies(
  path: string,
  nodes: readonly string[],
  hashes: ReadonlyMap<string, ReadonlyMap<string, FileHash>>,
): VmConfigCheck | null {
  const copies: VmConfigCheck["copies"] = [];
  for (const node of nodes) {
    const file = hashes.get(node)?.get(path);
    if (!file) return null;
    copies.push({ node, sha256: file.sha256, problem: file.problem });
  }
  const first = copies[0]?.sha256 ?? null;
  const identical = copies.every((copy) => copy.sha256 !== null && copy.sha256 === first);
  return { identical, copies: identical ? [] : copies };
}
