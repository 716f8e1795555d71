import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

const CONTROL =
  "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-600 dark:bg-slate-900";

/** A labelled form control with its error under it. */
export function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the children, inside the label
    <label className="block space-y-1">
      <span className="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</span>
      {children}
      {error ? (
        <span className="block text-sm text-red-600 dark:text-red-400" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

export function TextInput(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={CONTROL} {...props} />;
}

/** A labelled text input bound to a string: the common case of Field + TextInput. */
export function TextField({
  label,
  value,
  onValueChange,
  testId,
  ...input
}: {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  testId: string;
} & Pick<InputHTMLAttributes<HTMLInputElement>, "type" | "autoComplete">) {
  return (
    <Field label={label}>
      <TextInput
        {...input}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        data-testid={testId}
      />
    </Field>
  );
}

/** A checkbox with its label after it, bound to a boolean. */
export function CheckboxField({
  checked,
  onCheckedChange,
  testId,
  className = "flex items-center gap-2",
  children,
}: {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  testId: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={className}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onCheckedChange(e.target.checked)}
        data-testid={testId}
      />
      {children}
    </label>
  );
}

export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={CONTROL} {...props} />;
}
