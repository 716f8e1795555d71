import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { domainListSchema, nodeFactsSchema } from "./agent-protocol.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));

describe("agent answers recorded on the lab", () => {
  it("accepts the facts of node1", () => {
    const facts = nodeFactsSchema.parse(fixture("agent-facts-node1.json"));
    expect(facts).toMatchObject({
      hostname: "node1",
      nodeName: "node1",
      quorate: true,
      problems: [],
    });
    expect(facts.membership?.map((member) => member.name)).toEqual(["node1", "node2", "node3"]);
    expect(facts.versions.pacemaker).toBe("2.1.5");
  });

  it("accepts the domains of node1, web1 running transient as a VirtualDomain resource", () => {
    const { domains } = domainListSchema.parse(fixture("agent-domains-node1.json"));
    expect(domains.map((domain) => `${domain.name}:${domain.state}`).sort()).toEqual([
      "app1:shut off",
      "db1:running",
      "local1:shut off",
      "web1:running",
    ]);
    expect(domains.find((domain) => domain.name === "web1")?.persistent).toBe(false);
  });

  it("rejects an answer of the wrong shape", () => {
    const facts = fixture("agent-facts-node1.json");
    expect(nodeFactsSchema.safeParse({ ...facts, versions: "2.1.5" }).success).toBe(false);
  });
});
