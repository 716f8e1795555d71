import type { ReactNode } from "react";

/** What a page shows before there is anything on it: what it is for and what to do next. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <section
      data-testid={testId}
      className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center dark:border-slate-700 dark:bg-slate-900"
    >
      <h2 className="text-lg font-medium">{title}</h2>
      <div className="mx-auto mt-2 max-w-xl space-y-2 text-sm text-slate-600 dark:text-slate-400">
        {children}
      </div>
    </section>
  );
}
