import { describe, expect, it } from "vitest";
import { parseGuestSerialLog } from "./guest-serial-log.ts";

const A = "6ed39994-47e4-4010-8ee0-ca5086371778";
const B = "4d44e155-467b-4fa2-8f49-0ad50d0d8eaa";
const line = (boot: string, n: number) => `corral-guest name=web1 boot=${boot} n=${n}\r`;

describe("parseGuestSerialLog", () => {
  it("returns null before the guest wrote a line", () => {
    expect(parseGuestSerialLog("")).toBeNull();
    expect(
      parseGuestSerialLog("\u001b[2J\u001b[0mSeaBIOS (version 1.16.2)\r\nBooting from ROM...\r\n"),
    ).toBeNull();
  });

  it("keeps one boot across a live migration (lines continue in the same file)", () => {
    const text = [0, 1, 2, 3, 4, 5].map((n) => line(A, n)).join("\n");
    expect(parseGuestSerialLog(text)).toEqual({
      boots: [{ bootId: A, firstCounter: 0, lastCounter: 5 }],
      bootId: A,
      counter: 5,
    });
  });

  it("starts a new boot when the boot id changes, ignoring kernel noise and a torn last line", () => {
    const text = [
      line(A, 20),
      line(A, 21),
      "[    3.075773] reboot: Power down",
      line(B, 0),
      line(B, 1),
      "corral-guest name=web1 boot=4d44e155-467b-4fa2-8f49-0ad50d0d8eaa n=",
    ].join("\n");
    const state = parseGuestSerialLog(text);
    expect(state?.boots).toEqual([
      { bootId: A, firstCounter: 20, lastCounter: 21 },
      { bootId: B, firstCounter: 0, lastCounter: 1 },
    ]);
    expect(state).toMatchObject({ bootId: B, counter: 1 });
  });
});
