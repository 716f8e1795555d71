import { AppError } from "../errors.ts";
import { attr, element, elements, readXml } from "../xml/read-xml.ts";

/**
 * One operation Pacemaker recorded for a resource on a node (crm_mon's node_history): the last
 * of each kind per node, with the executor's call id, which only grows on a node while its
 * Pacemaker runs, so two readings tell which operations happened in between.
 */
export interface OperationRecord {
  node: string;
  resource: string;
  task: string;
  call: number;
  rc: number;
  rcText: string;
  lastRcChange: string | null;
  /** How long the agent ran it, in ms (crm_mon's exec-time); null when not recorded. */
  execMs: number | null;
}

/** Reads the operation history of `crm_mon --output-as=xml` (every resource, every node). */
export function parseOperationHistory(xml: string): OperationRecord[] {
  const root = element(
    readXml(xml, "crm_mon output", ["node", "resource_history", "operation_history"])[
      "pacemaker-result"
    ],
  );
  if (!root) throw new AppError("PARSE_ERROR", "crm_mon output has no <pacemaker-result>.");
  return elements(element(root.node_history)?.node).flatMap((node) =>
    elements(node.resource_history).flatMap((history) =>
      elements(history.operation_history).map((operation) => ({
        node: attr(node, "name") ?? "",
        resource: attr(history, "id") ?? "",
        task: attr(operation, "task") ?? "",
        call: Number(attr(operation, "call") ?? -1),
        rc: Number(attr(operation, "rc") ?? -1),
        rcText: attr(operation, "rc_text") ?? "",
        lastRcChange: attr(operation, "last-rc-change") ?? null,
        execMs: milliseconds(attr(operation, "exec-time")),
      })),
    ),
  );
}

/**
 * The operations of `after` that are not in `before`: on each node, a call id above the highest
 * that node had for the resource before (or any, on a node that had none).
 */
export function operationsSince(
  before: readonly OperationRecord[],
  after: readonly OperationRecord[],
  resource: string,
): OperationRecord[] {
  const highest = new Map<string, number>();
  for (const op of before) {
    if (op.resource !== resource) continue;
    highest.set(op.node, Math.max(highest.get(op.node) ?? -1, op.call));
  }
  return after.filter((op) => op.resource === resource && op.call > (highest.get(op.node) ?? -1));
}

/** crm_mon's "4790ms". */
function milliseconds(value: string | undefined): number | null {
  const match = /^(\d+)ms$/.exec(value ?? "");
  return match ? Number(match[1]) : null;
}
