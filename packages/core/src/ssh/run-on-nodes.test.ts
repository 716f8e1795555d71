import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "./node-target.ts";
import { firstAnswer, preferring } from "./run-on-nodes.ts";

const node = (id: string): NodeTarget => ({
  id,
  host: `${id}.example`,
  port: 22,
  username: "root",
  hostKey: { keyType: "ssh-ed25519", fingerprint: `SHA256:${id}` },
});

/** Answers as `answers` says per node, and notes whom it asked, in order. */
function nodesAnswering(answers: Record<string, Result<string>>) {
  const asked: string[] = [];
  const ask = async (target: NodeTarget) => {
    asked.push(target.id);
    return answers[target.id] ?? err(new AppError("INTERNAL", `no answer set for ${target.id}`));
  };
  return { asked, ask };
}

const unreachable = (id: string) =>
  err(new AppError("NODE_UNREACHABLE", `${id} does not answer`, { node: id }));

describe("firstAnswer", () => {
  it("asks in order and stops at the first node that answers", async () => {
    const { asked, ask } = nodesAnswering({
      node1: unreachable("node1"),
      node2: ok("from node2"),
      node3: ok("from node3"),
    });
    const answer = await firstAnswer([node("node1"), node("node2"), node("node3")], ask);
    expect(answer).toEqual({ node: node("node2"), value: "from node2" });
    expect(asked).toEqual(["node1", "node2"]);
  });

  it("gives every node's failure, in the order asked, when none answers", async () => {
    const { asked, ask } = nodesAnswering({
      node1: unreachable("node1"),
      node2: err(new AppError("COMMAND_FAILED", "crm_mon failed on node2")),
    });
    const answer = await firstAnswer([node("node1"), node("node2")], ask);
    expect(answer.node).toBeNull();
    expect(answer.node === null && answer.failures.map((f) => f.message)).toEqual([
      "node1 does not answer",
      "crm_mon failed on node2",
    ]);
    expect(asked).toEqual(["node1", "node2"]);
  });

  it("has no failures to give for no nodes", async () => {
    const { asked, ask } = nodesAnswering({});
    expect(await firstAnswer([], ask)).toEqual({ node: null, failures: [] });
    expect(asked).toEqual([]);
  });

  it("moves on only after the failures moveOn accepts; any other is the answer", async () => {
    const { asked, ask } = nodesAnswering({
      node1: unreachable("node1"),
      node2: err(new AppError("COMMAND_FAILED", "pcs refused on node2")),
      node3: ok("from node3"),
    });
    const answer = await firstAnswer(
      [node("node1"), node("node2"), node("node3")],
      ask,
      (failure) => failure.code === "NODE_UNREACHABLE",
    );
    expect(answer.node === null && answer.failures.at(-1)?.message).toBe("pcs refused on node2");
    expect(asked).toEqual(["node1", "node2"]);
  });
});

describe("preferring", () => {
  it("puts the named nodes first, each group keeping its own order", () => {
    const nodes = ["node1", "node2", "node3", "node4"].map(node);
    expect(preferring(nodes, ["node4", "node2"]).map((n) => n.id)).toEqual([
      "node2",
      "node4",
      "node1",
      "node3",
    ]);
    expect(preferring(nodes, []).map((n) => n.id)).toEqual(["node1", "node2", "node3", "node4"]);
  });
});
