import { describe, expect, it } from "vitest";
import {
  OPERATION_KINDS,
  type OperationRecovery,
  operationKindOf,
  recoverOperations,
} from "./operation-kind.ts";

describe("operationKindOf", () => {
  it.each([
    ["onboarding", "onboarding"],
    ["onboarding.abandon", "onboarding"],
    ["vm.migrate", "move"],
    ["vm.move", "move"],
    ["vm.retest", "retest"],
    ["vm.allowed-nodes", "retest"],
    ["vm.stop", "resource-action"],
    ["vm.change-resource", "resource-action"],
    ["cluster.rolling-maintenance", "maintenance"],
    ["cluster.bulk", "bulk"],
    ["node.drain", "drain"],
  ])("%s is a %s", (lock, kind) => {
    expect(operationKindOf(lock)).toBe(kind);
  });
});

describe("recoverOperations", () => {
  it("hands each interrupted operation to its own kind's recovery, every kind asked", async () => {
    const seen: Record<string, string[]> = {};
    const recording = (kind: string) => async (locks: readonly { operation: string }[]) => {
      seen[kind] = locks.map((lock) => lock.operation);
    };
    const recovery: OperationRecovery<{ operation: string }> = {
      onboarding: recording("onboarding"),
      move: recording("move"),
      retest: recording("retest"),
      "resource-action": recording("resource-action"),
      maintenance: recording("maintenance"),
      bulk: recording("bulk"),
      drain: recording("drain"),
    };
    await recoverOperations(recovery, [
      { operation: "vm.migrate" },
      { operation: "onboarding" },
      { operation: "vm.stop" },
    ]);
    expect(seen).toEqual({
      onboarding: ["onboarding"],
      move: ["vm.migrate"],
      retest: [],
      "resource-action": ["vm.stop"],
      maintenance: [],
      bulk: [],
      drain: [],
    });
    expect(Object.keys(seen).sort()).toEqual([...OPERATION_KINDS].sort());
  });

  it("a recovery table that leaves a kind out does not compile", () => {
    // @ts-expect-error: "maintenance", "bulk" and "drain" have no recovery
    const incomplete: OperationRecovery<{ operation: string }> = {
      onboarding: async () => {},
      move: async () => {},
      retest: async () => {},
      "resource-action": async () => {},
    };
    expect(Object.keys(incomplete)).toHaveLength(4);
  });
});
