import type { ReactNode } from "react";
import { Button } from "./button.tsx";
import { ErrorBanner } from "./error-banner.tsx";

interface ConfirmButton {
  label: ReactNode;
  onClick: () => void;
  disabled?: boolean;
  /** danger: what the click does cannot be taken back lightly (downtime, removal). */
  variant?: "primary" | "danger";
  testId?: string;
}

/** A dry run to ask for first: its button stands where the confirm one will, until it answered. */
interface ReviewButton {
  reviewed: boolean;
  onClick: () => void;
  disabled?: boolean;
  testId: string;
}

interface DismissButton {
  /** Close, Back, Cancel, or what not confirming means ("Let it finish"). */
  label: string;
  onClick: () => void;
  testId?: string;
}

/**
 * An inline confirmation: what will happen (the children, then the exact command), then what
 * came of it (the error or the result), then the buttons. Nothing runs before the confirm click,
 * and with `review` nothing can be confirmed before the review answered.
 */
export function ConfirmDialog({
  title,
  testId,
  children,
  command,
  error,
  errorTestId,
  result,
  review,
  confirm,
  dismiss,
}: {
  title: string;
  testId: string;
  children?: ReactNode;
  /** The command the confirm click runs, exactly as it will run. */
  command?: string | null;
  error?: unknown;
  errorTestId?: string;
  /** What the confirmed run did, once it succeeded. */
  result?: { testId: string; text: ReactNode } | null;
  review?: ReviewButton;
  confirm: ConfirmButton;
  dismiss: DismissButton;
}) {
  const button: ConfirmButton =
    review && !review.reviewed ? { label: "Review", ...review } : confirm;
  return (
    <div
      role="dialog"
      aria-label={title}
      data-testid={testId}
      className="space-y-3 rounded-md border border-slate-300 bg-slate-50 p-3 text-sm dark:border-slate-700 dark:bg-slate-950"
    >
      <h4 className="font-medium">{title}</h4>
      {children}
      {command != null ? <CommandText text={command} /> : null}
      <ErrorBanner error={error} testId={errorTestId} />
      {result ? (
        <p data-testid={result.testId} className="text-emerald-700">
          {result.text}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button
          variant={button.variant ?? "primary"}
          disabled={button.disabled}
          onClick={button.onClick}
          data-testid={button.testId}
        >
          {button.label}
        </Button>
        <Button variant="secondary" onClick={dismiss.onClick} data-testid={dismiss.testId}>
          {dismiss.label}
        </Button>
      </div>
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
