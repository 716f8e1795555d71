import { AppError } from "../errors.ts";

/**
 * The only place where an argv array becomes a POSIX shell string (SSH exec hands a string to
 * the login shell). A word of characters no shell gives a meaning stays as it is, so the
 * commands operators read look as they would type them; every other word is single-quoted, so
 * no character except the quote itself has a meaning, and an embedded quote closes the quotes,
 * adds an escaped quote and reopens them.
 */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) {
    throw new AppError("INVALID_INPUT", "A command needs at least one word.");
  }
  const command = argv.map(quoteWord).join(" ");
  const bytes = Buffer.byteLength(command);
  if (bytes > MAX_COMMAND_BYTES) {
    let longest = 0;
    argv.forEach((word, index) => {
      if (word.length > (argv[longest]?.length ?? 0)) longest = index;
    });
    const word = argv[longest] ?? "";
    throw new AppError(
      "INVALID_INPUT",
      `The command is ${bytes} bytes once quoted; a node's shell takes at most ${MAX_COMMAND_BYTES} (128 KiB). Its longest value, argument ${longest} (${Buffer.byteLength(word)} bytes, starting ${JSON.stringify(word.slice(0, 40))}), is too long.`,
    );
  }
  return command;
}

/**
 * sshd hands the command to the login shell as one `-c` argument, and Linux refuses to exec an
 * argument over MAX_ARG_STRLEN (32 pages of 4 KiB, the NUL included) with E2BIG: checked here
 * so the operator reads why instead of a failed command on the node.
 */
export const MAX_COMMAND_BYTES = 128 * 1024 - 1;

// With the u flag a surrogate range matches only halves that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function quoteWord(word: string, index: number): string {
  // A shell cannot carry NUL in an argument and would silently cut it there.
  if (word.includes("\0")) {
    throw new AppError("INVALID_INPUT", `Argument ${index} contains a NUL character.`);
  }
  // A lone surrogate has no UTF-8 form: it would reach the node as U+FFFD, a different word.
  if (LONE_SURROGATE.test(word)) {
    throw new AppError("INVALID_INPUT", `Argument ${index} is not well-formed Unicode.`);
  }
  // `=` in the first word would make it a variable assignment instead of the command.
  if ((index === 0 ? PLAIN_COMMAND : PLAIN_WORD).test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// Not `=` first: zsh expands `=word` to a command's path.
const PLAIN_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;
const PLAIN_COMMAND = /^[A-Za-z0-9_@%+:,./-]+$/;
