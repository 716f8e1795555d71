/** An argv item that must never be logged: a password, a token. */
export interface SecretArg {
  readonly secret: string;
}

export type CommandArg = string | SecretArg;

const REDACTED = "[redacted]";

export function secret(value: string): SecretArg {
  return { secret: value };
}

export function revealArgv(argv: readonly CommandArg[]): string[] {
  return argv.map((arg) => (typeof arg === "string" ? arg : arg.secret));
}

export function redactArgv(argv: readonly CommandArg[]): string[] {
  return argv.map((arg) => (typeof arg === "string" ? arg : REDACTED));
}

/** A tool may echo an argument back (in an error message, say): hide secrets there as well. */
export function redactText(text: string, argv: readonly CommandArg[]): string {
  let redacted = text;
  for (const arg of argv) {
    if (typeof arg !== "string" && arg.secret !== "") {
      redacted = redacted.replaceAll(arg.secret, REDACTED);
    }
  }
  return redacted;
}
