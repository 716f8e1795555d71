import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgentMetadata } from "./parse-agent-metadata.ts";

const xml = readFileSync(
  new URL("../inventory/fixtures/virtualdomain-metadata.xml", import.meta.url),
  "utf8",
);

describe("parseAgentMetadata (VirtualDomain, recorded from the lab)", () => {
  const metadata = parseAgentMetadata(xml);

  it("reads the agent and its parameters with type, default and description", () => {
    expect(metadata).toMatchObject({ name: "VirtualDomain", version: "1.0" });
    expect(metadata.shortdesc).toContain("virtual domains");
    expect(metadata.parameters.find((parameter) => parameter.name === "config")).toEqual({
      name: "config",
      type: "string",
      default: "",
      required: true,
      unique: true,
      shortdesc: "Virtual domain configuration file",
      longdesc: expect.stringContaining("Absolute path to the libvirt configuration file"),
      deprecated: false,
    });
    expect(metadata.parameters.find((parameter) => parameter.name === "force_stop")).toMatchObject({
      type: "boolean",
      default: "0",
      required: false,
    });
    expect(
      metadata.parameters.find((parameter) => parameter.name === "hypervisor")?.default,
    ).toBeNull();
    expect(metadata.parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(["migration_transport", "migration_downtime"]),
    );
  });

  it("reads the actions with their default timeouts", () => {
    expect(metadata.actions.map((action) => action.name)).toEqual(
      expect.arrayContaining([
        "start",
        "stop",
        "monitor",
        "migrate_to",
        "migrate_from",
        "meta-data",
      ]),
    );
    expect(metadata.actions.find((action) => action.name === "start")?.timeout).toMatch(/^\d+s?$/);
  });

  it("refuses what is not agent metadata", () => {
    expect(() => parseAgentMetadata("<cib/>")).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR" }),
    );
    expect(() => parseAgentMetadata("<resource-agent")).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR" }),
    );
  });
});
