import { describe, expect, it } from "vitest";
import { checkConfigCopies } from "./check-config-copies.ts";
import type { FileHash } from "./hash-config-files.ts";

const PATH = "/etc/pacemaker/web1.xml";
const hashed = (sha256: string | null, problem: string | null = null) =>
  new Map<string, FileHash>([[PATH, { path: PATH, sha256, problem }]]);

describe("checkConfigCopies", () => {
  it("says identical without listing the copies when every node has the same file", () => {
    const hashes = new Map([
      ["node1", hashed("aa")],
      ["node2", hashed("aa")],
    ]);
    expect(checkConfigCopies(PATH, ["node1", "node2"], hashes)).toEqual({
      identical: true,
      copies: [],
    });
  });

  it("lists every copy when one differs or is missing", () => {
    const hashes = new Map([
      ["node1", hashed("aa")],
      ["node2", hashed(null, "/etc/pacemaker/web1.xml does not exist")],
    ]);
    expect(checkConfigCopies(PATH, ["node1", "node2"], hashes)).toEqual({
      identical: false,
      copies: [
        { node: "node1", sha256: "aa", problem: null },
        { node: "node2", sha256: null, problem: "/etc/pacemaker/web1.xml does not exist" },
      ],
    });
  });

  it("claims nothing until every online node was hashed", () => {
    expect(
      checkConfigCopies(PATH, ["node1", "node2"], new Map([["node1", hashed("aa")]])),
    ).toBeNull();
  });
});
