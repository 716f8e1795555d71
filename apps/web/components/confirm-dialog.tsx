import type { ReactNode } from "react";

/** An inline confirmation: what will happen, then the buttons; nothing runs before its click. */
export function ConfirmDialog({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div
      role="dialog"
      aria-label={title}
      data-testid={testId}
      className="space-y-3 rounded-md border border-slate-300 bg-slate-50 p-3 text-sm dark:border-slate-700 dark:bg-slate-950"
    >
      <h4 className="font-medium">{title}</h4>
      {children}
    </div>
  );
}

/** A command exactly as it will run, one per line. */
export function CommandText({
  text,
  testId = "confirm-command",
}: {
  text: string;
  testId?: string;
}) {
  return (
    <pre
      data-testid={testId}
      className="overflow-x-auto whitespace-pre-wrap rounded bg-slate-900 px-2 py-1 font-mono text-xs text-slate-100"
    >
      {text}
    </pre>
  );
}
