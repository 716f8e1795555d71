import { errorMessage } from "@/lib/error-message.ts";

export function ErrorBanner({ error, testId = "error" }: { error: unknown; testId?: string }) {
  if (!error) return null;
  return (
    <div
      role="alert"
      data-testid={testId}
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {errorMessage(error)}
    </div>
  );
}
