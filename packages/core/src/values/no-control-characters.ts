import { z } from "zod";

/**
 * Characters no name, path or option value sent to a node may hold: C0 and C1 controls with
 * DEL (pcs crashes on ESC and stores CR literally in the CIB; a newline splits a config line),
 * the Unicode line and paragraph separators, and the bidirectional overrides that make a value
 * read differently from what runs.
 */
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

const CONTROL_CHARACTER_MESSAGE =
  "Control characters (newline, tab, escape, ...) are not allowed here.";

/** A string schema refusing control characters; chain max(), regex() and refine() onto it. */
export const plainText = z
  .string()
  .refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_MESSAGE);
