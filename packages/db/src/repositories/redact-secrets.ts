/** Keys whose values never reach the command log, whatever the action (passwords, keys, ...). */
const SECRET_KEY = /pass(word|phrase)?|secret|token|private.?key|credential|api.?key/i;

export const REDACTED = "[redacted]";

/** A copy of an action's input with every secret-looking field replaced, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) ? REDACTED : redactSecrets(item),
    ]),
  );
}
