import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodeWatchSchema } from "./watch-node.ts";

// Recorded on the lab: `corral-agent watch --max-wait 0 --files` on a healthy node (web1's
// config and a path that does not exist on stdin), and on a node right after `pacemakerd
// --shutdown` finished (recorded before --files; its files list added in the same shape).
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8"));

describe("the answer of corral-agent watch", () => {
  it("carries the CIB version and every domain's state of a healthy node", () => {
    const watch = nodeWatchSchema.parse(fixture("agent-watch-node1.json"));
    expect(watch.pacemaker).toEqual({ up: true, error: null, cib: ["0", "18", "5"] });
    expect(watch.libvirt.domains).toContainEqual(["db1", "running"]);
    // The config files asked for: size and mtime, null for one that is missing.
    expect(watch.files.map(([path, size]) => [path, size])).toEqual([
      ["/etc/pacemaker/web1.xml", 1808],
      ["/etc/pacemaker/gone.xml", null],
    ]);
  });

  it("says Pacemaker is down, with the tool's own words, when it stopped", () => {
    const watch = nodeWatchSchema.parse(fixture("agent-watch-node3-pacemaker-stopped.json"));
    expect(watch.pacemaker.up).toBe(false);
    expect(watch.pacemaker.error).toMatch(/Could not connect to the CIB/);
    expect(watch.libvirt.up).toBe(true);
  });

  it("refuses an answer in another shape (malformed tool output)", () => {
    const good = fixture("agent-watch-node1.json");
    for (const broken of [
      { ...good, token: 42 },
      { ...good, pacemaker: { up: "yes" } },
      { ...good, libvirt: { ...good.libvirt, domains: [["db1"]] } },
      {},
    ]) {
      expect(nodeWatchSchema.safeParse(broken).success).toBe(false);
    }
  });
});
