import type { ReactNode } from "react";
import { formatDuration } from "@/lib/format.ts";
import type { StepProgress } from "@/lib/trpc-types.ts";

const BAR: Record<StepProgress["nodes"][number]["state"], string> = {
  pending: "w-0 bg-slate-300",
  running: "w-1/2 animate-pulse bg-indigo-500",
  succeeded: "w-full bg-emerald-500",
  failed: "w-full bg-red-500",
  skipped: "w-full bg-slate-300 dark:bg-slate-700",
};

const BADGE: Record<StepProgress["state"], string> = {
  pending: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  running: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200",
  succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  skipped: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};

/** Share of the step's nodes that are done, for the step's own bar. */
function stepFraction(step: StepProgress): number {
  if (step.state === "succeeded") return 1;
  if (step.nodes.length === 0) return step.state === "running" ? 0.5 : 0;
  const done = step.nodes.filter((n) => n.state !== "pending" && n.state !== "running").length;
  return done / step.nodes.length;
}

/** One wizard step: its commands (before it runs), then what happened on each node. */
export function StepPanel({
  name,
  title,
  step,
  children,
}: {
  name: string;
  title: string;
  step: StepProgress;
  children?: ReactNode;
}) {
  return (
    <section
      data-testid={`step-${name}`}
      data-state={step.state}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-medium">{title}</h2>
        <span
          data-testid="step-state"
          className={`rounded-full px-2 py-0.5 text-xs ${BADGE[step.state]}`}
        >
          {step.state}
        </span>
      </header>
      <div className="h-1.5 overflow-hidden rounded bg-slate-100 dark:bg-slate-800" aria-hidden>
        <div
          className="h-full bg-indigo-500 transition-all"
          style={{ width: `${Math.round(stepFraction(step) * 100)}%` }}
        />
      </div>
      {step.message ? (
        <p
          data-testid="step-message"
          className={step.state === "failed" ? "text-sm text-red-700 dark:text-red-400" : "text-sm"}
        >
          {step.message}
        </p>
      ) : null}
      {step.commands.length ? (
        <details open={step.state === "pending"}>
          <summary className="cursor-pointer text-xs text-slate-500">
            Commands this step runs
          </summary>
          <ul className="mt-1 space-y-1" data-testid="step-commands">
            {step.commands.map((argv) => (
              <li key={argv.join("\u0000")} className="flex flex-wrap gap-1 font-mono text-xs">
                {argv.map((arg, i) => (
                  // Each argv item apart: the node receives exactly these, no shell in between.
                  // biome-ignore lint/suspicious/noArrayIndexKey: argv items repeat; position is identity
                  <code key={i} className="rounded bg-slate-100 px-1 dark:bg-slate-800">
                    {arg}
                  </code>
                ))}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {step.nodes.length ? (
        <ul className="space-y-2" data-testid="step-nodes">
          {step.nodes.map((node) => (
            <li
              key={node.node}
              data-testid={`node-${node.node}`}
              data-state={node.state}
              className="text-sm"
            >
              <div className="flex justify-between gap-2">
                <span className="font-medium">{node.node}</span>
                <span className="text-xs text-slate-500">
                  {node.state}
                  {node.ms !== null ? ` · ${formatDuration(node.ms)}` : ""}
                </span>
              </div>
              <div
                className="mt-1 h-1.5 overflow-hidden rounded bg-slate-100 dark:bg-slate-800"
                aria-hidden
              >
                <div className={`h-full transition-all ${BAR[node.state]}`} />
              </div>
              {node.message ? (
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{node.message}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </section>
  );
}
