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

/** The nodes whose id is in `first` ahead of the others, each group in its own order. */
export function preferring(nodes: readonly NodeTarget[], first: readonly string[]): NodeTarget[] {
  return [...nodes].sort((a, b) => Number(!first.includes(a.id)) - Number(!first.includes(b.id)));
}

export type FirstAnswer<N, T> =
  | { node: N; value: T }
  | { node: null /** Each node's failure, in the order asked. */; failures: AppError[] };

/**
 * Asks the nodes one after the other until one answers, so a node going away (left, in standby,
 * crashed) does not blind the caller; the order of `nodes` says whom to ask first. `moveOn` says
 * which failures send the question on to the next node (every one, unless given); any other ends
 * the asking, as the last of `failures`: a command that ran and failed is not run again elsewhere.
 */
export async function firstAnswer<N, T>(
  nodes: readonly N[],
  ask: (node: N) => Promise<Result<T>>,
  moveOn: (failure: AppError) => boolean = () => true,
): Promise<FirstAnswer<N, T>> {
  const failures: AppError[] = [];
  for (const node of nodes) {
    const answer = await ask(node);
    if (answer.ok) return { node, value: answer.value };
    failures.push(answer.error);
    if (!moveOn(answer.error)) break;
  }
  return { node: null, failures };
}
