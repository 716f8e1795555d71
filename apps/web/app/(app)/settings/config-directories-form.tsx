"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { Field, TextInput } from "@/components/field.tsx";
import { useTRPC } from "@/lib/trpc.tsx";

/** An admin chooses where onboarding may write VMs' config files (as root) on the nodes. */
export function ConfigDirectoriesForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.settings.configDirectories.queryOptions());
  const [typed, setTyped] = useState<string | null>(null);
  const [issue, setIssue] = useState<string | undefined>();
  const save = useMutation(
    trpc.settings.setConfigDirectories.mutationOptions({
      onSuccess: () => {
        setTyped(null);
        return queryClient.invalidateQueries({
          queryKey: trpc.settings.configDirectories.queryKey(),
        });
      },
    }),
  );
  const value = typed ?? current.data?.directories.join(" ") ?? "";
  async function submit(event: FormEvent) {
    event.preventDefault();
    // Loaded on save: zod stays out of the page's first load (the 200 kB budget).
    const { setConfigDirectoriesInput } = await import("@corral/api/schemas");
    const parsed = setConfigDirectoriesInput.safeParse({
      directories: value.split(/\s+/).filter(Boolean),
    });
    if (!parsed.success) {
      setIssue(parsed.error.issues[0]?.message);
      return;
    }
    setIssue(undefined);
    save.mutate(parsed.data);
  }
  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-testid="config-directories-form"
    >
      <h2 className="font-medium">Config file directories</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Onboarding writes each VM&apos;s domain XML, as root, only under these directories on the
        nodes.
      </p>
      <Field label="Directories (space-separated)" error={issue}>
        <TextInput
          value={value}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="input-config-directories"
        />
      </Field>
      <ErrorBanner error={current.error ?? save.error} testId="config-directories-error" />
      <Button type="submit" disabled={save.isPending} data-testid="action-save-config-directories">
        Save directories
      </Button>
    </form>
  );
}
