import { readFile } from "node:fs/promises";

/** One boot of a guest as its serial log shows it. */
export interface GuestBoot {
  bootId: string;
  firstCounter: number;
  lastCounter: number;
}

export interface GuestSerialState {
  /** Every boot in log order; a live migration keeps one boot, a restart starts another. */
  boots: GuestBoot[];
  /** The boot and counter of the latest line. */
  bootId: string;
  counter: number;
}

const LINE = /^corral-guest name=\S+ boot=([0-9a-f-]+) n=(\d+)\r?$/;

/**
 * Reads the lines the lab's guest init writes (`corral-guest name=web1 boot=<id> n=<k>`); kernel
 * output and a torn last line are ignored. Null when the guest has not written any line yet.
 */
export function parseGuestSerialLog(text: string): GuestSerialState | null {
  const boots: GuestBoot[] = [];
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, bootId = "", n = "0"] = match;
    const counter = Number(n);
    const current = boots.at(-1);
    if (current?.bootId === bootId) {
      current.lastCounter = counter;
    } else {
      boots.push({ bootId, firstCounter: counter, lastCounter: counter });
    }
  }
  const last = boots.at(-1);
  return last ? { boots, bootId: last.bootId, counter: last.lastCounter } : null;
}

/** The serial state of a guest from its log on the host (its `serialLog` in lab.json). */
export async function readGuestSerial(serialLogPath: string): Promise<GuestSerialState | null> {
  return parseGuestSerialLog(await readFile(serialLogPath, "utf8"));
}
