import { AppError } from "../errors.ts";
import { err, type Result } from "../result.ts";
import type { NodeTarget } from "./node-target.ts";

export interface NodeResult<T> {
  nodeId: string;
  result: Result<T>;
}

/**
 * Runs one operation on every node at once and collects one Result per node, in the order of
 * `nodes`: a slow or failing node neither delays the start on the others nor hides their results.
 */
export function runOnNodes<T>(
  nodes: readonly NodeTarget[],
  operation: (node: NodeTarget) => Promise<Result<T>>,
): Promise<NodeResult<T>[]> {
  return Promise.all(
    nodes.map(async (node) => {
      try {
        return { nodeId: node.id, result: await operation(node) };
      } catch (error) {
        // Operations return Results; a throw is a bug, but it must not cost the other nodes.
        const appError =
          error instanceof AppError
            ? error
            : new AppError("INTERNAL", `Unexpected failure on ${node.id}: ${String(error)}`, {
                node: node.id,
              });
        return { nodeId: node.id, result: err(appError) };
      }
    }),
  );
}
