import { describe, expect, it } from "vitest";
import { RESOURCE_ACTIONS, resourceActionArgv } from "./resource-actions.ts";

describe("resourceActionArgv", () => {
  it("builds each action's one pcs command", () => {
    const argv = Object.fromEntries(
      RESOURCE_ACTIONS.map((action) => [
        action,
        resourceActionArgv(action, { vm: "web1", node: "node2" }).join(" "),
      ]),
    );
    expect(argv).toEqual({
      enable: "pcs resource enable web1 --wait=180",
      disable: "pcs resource disable web1 --wait=180",
      restart: "pcs resource restart web1 --wait=180",
      cleanup: "pcs resource cleanup web1",
      clear: "pcs resource clear web1",
      manage: "pcs resource manage web1",
      unmanage: "pcs resource unmanage web1",
      standby: "pcs node standby node2 --wait=180",
      unstandby: "pcs node unstandby node2 --wait=180",
      "maintenance-on": "pcs property set maintenance-mode=true",
      "maintenance-off": "pcs property set maintenance-mode=false",
      "cleanup-all": "pcs resource cleanup",
    });
  });

  it("refuses a VM action without a VM and a node action without a node", () => {
    expect(() => resourceActionArgv("manage", {})).toThrow("manage needs a VM.");
    expect(() => resourceActionArgv("standby", { vm: "web1" })).toThrow("standby needs a node.");
  });
});
