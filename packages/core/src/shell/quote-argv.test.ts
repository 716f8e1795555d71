import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { MAX_COMMAND_BYTES, quoteArgv } from "./quote-argv.ts";

/**
 * Runs one script of many quoted command lines through a real shell. Each line calls a shell
 * function that prints its argument count and each argument NUL-terminated, which is unambiguous
 * because no argument can hold NUL.
 */
async function argvSeenByShell(shell: string, argvs: readonly string[][]): Promise<string[][]> {
  const script = [
    `p() { printf '%s\\0' "$#"; for a in "$@"; do printf '%s\\0' "$a"; done; }`,
    ...argvs.map((argv) => quoteArgv(["p", ...argv])),
    "",
  ].join("\n");
  // A quoting bug would let hostile words redirect or substitute: confine them to a scratch dir.
  const scratch = await mkdtemp(join(tmpdir(), "corral-quote-"));
  const child = spawn(shell, ["-s"], {
    cwd: scratch,
    stdio: ["pipe", "pipe", "pipe"],
    env: { LC_ALL: "C", HOME: scratch, PATH: "/usr/bin:/bin" },
  });
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  child.stdin.end(script);
  const code = await exited;
  await rm(scratch, { recursive: true, force: true });
  if (code !== 0) throw new Error(`${shell} exited ${code}: ${Buffer.concat(errors)}`);

  const fields = Buffer.concat(chunks).toString("utf8").split("\0");
  const seen: string[][] = [];
  let at = 0;
  while (at < fields.length - 1) {
    const count = Number(fields[at]);
    seen.push(fields.slice(at + 1, at + 1 + count));
    at += 1 + count;
  }
  return seen;
}

const SHELL_SPECIALS = [..."'\"$`\\\n\r\t *?[]{}~!#&|;<>()-=%^,.:@+/"];
const NASTY_WORDS = [
  "",
  "-",
  "--",
  "-n",
  "-e",
  "--help",
  "'",
  "''",
  '"',
  "\\",
  "\\'",
  "'\\''",
  "$(id)",
  "`id`",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion the quoting must neutralise.
  "${IFS}",
  "$HOME",
  "$@",
  "$*",
  "$#",
  "$1",
  "*",
  "~",
  "~root",
  "a b",
  " ",
  "\n",
  "!!",
  "#comment",
  "a;b",
  "a&&b",
  "a||b",
  "a|b",
  "a>b",
  "<<EOF",
  "{a,b}",
  "[a-z]*",
  "\u202e\u0301",
  "😀",
  "é",
  "\x01\x1b[31m",
  "\x7f",
];

const hostileChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SHELL_SPECIALS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom("é", "😀", "\u00a0", "\u2028", "\ufeff", "中") },
);
const hostileWord = fc
  .oneof(
    { weight: 5, arbitrary: fc.string({ unit: hostileChar, maxLength: 24 }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_WORDS) },
    { weight: 1, arbitrary: fc.string({ unit: hostileChar, minLength: 500, maxLength: 5000 }) },
  )
  .map((word) => word.replaceAll("\0", ""));
const hostileArgv = fc.array(hostileWord, { minLength: 0, maxLength: 6 });

describe("quoteArgv", () => {
  it.each(["dash", "bash"])(
    "keeps 10,000 hostile argvs exact through a real %s",
    async (shell) => {
      const batches = 20;
      const perBatch = 500;
      await fc.assert(
        fc.asyncProperty(
          fc.array(hostileArgv, { minLength: perBatch, maxLength: perBatch }),
          async (argvs) => {
            expect(await argvSeenByShell(shell, argvs)).toEqual(argvs);
          },
        ),
        { numRuns: batches },
      );
    },
    180_000,
  );

  it("quotes each word exactly once and joins with spaces", () => {
    expect(quoteArgv(["echo", "it's", ""])).toBe(`echo 'it'\\''s' ''`);
    // Plain words stay as an operator would type them; anything else is quoted.
    expect(quoteArgv(["pcs", "resource", "create", "config=/etc/pacemaker/web1.xml", "a b"])).toBe(
      "pcs resource create config=/etc/pacemaker/web1.xml 'a b'",
    );
    expect(quoteArgv(["A=1", "=x", "#uname", "*"])).toBe("'A=1' '=x' '#uname' '*'");
  });

  it("refuses a NUL inside an argument", () => {
    expect(() => quoteArgv(["echo", "a\0b"])).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(/NUL/) }),
    );
  });

  it("refuses a lone surrogate, which would change on the way to the node", () => {
    expect(() => quoteArgv(["echo", "\ud800x"])).toThrow(AppError);
    expect(quoteArgv(["😀"])).toBe("'😀'");
  });

  it("refuses a command longer than a shell can take, before anything is sent", () => {
    // 32 KiB of quotes quote to 128 KiB: sshd's `sh -c` would fail with E2BIG on the node.
    expect(() => quoteArgv(["echo", "'".repeat(32 * 1024)])).toThrow(
      expect.objectContaining({
        code: "INVALID_INPUT",
        message: expect.stringMatching(/128 KiB.*argument 1 \(32768 bytes/),
      }),
    );
    // Bytes count, not characters: each é is two bytes on the node.
    expect(() => quoteArgv(["echo", "é".repeat(MAX_COMMAND_BYTES / 2)])).toThrow(AppError);
  });

  it("lets through exactly what a real shell takes as one -c argument", () => {
    const longest = quoteArgv(["true", "x".repeat(MAX_COMMAND_BYTES - "true ".length)]);
    expect(Buffer.byteLength(longest)).toBe(MAX_COMMAND_BYTES);
    expect(spawnSync("/bin/sh", ["-c", longest]).status).toBe(0);
    // One byte more and the kernel refuses the exec: the limit is the kernel's, not a guess.
    const tooLong = spawnSync("/bin/sh", ["-c", `${longest} `]);
    expect(tooLong.error).toEqual(expect.objectContaining({ code: "E2BIG" }));
  });

  it("refuses an empty command", () => {
    expect(() => quoteArgv([])).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
