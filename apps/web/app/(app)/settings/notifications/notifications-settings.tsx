"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import { DeliveryResult } from "./delivery-result.tsx";
import type { Channel, Delivery, Rule } from "./notification-types.ts";

// The forms (react-hook-form, zod and the schemas) load when an admin opens one, keeping the
// page's first-load JS under the 200 kB budget (237 kB with them).
const ChannelForm = dynamic(() => import("./channel-form.tsx").then((m) => m.ChannelForm));
const RuleForm = dynamic(() => import("./rule-form.tsx").then((m) => m.RuleForm));

const PANEL =
  "space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";

/** What is being edited: nothing, a new one, or an existing one. */
type Editing<T> = { item: T | null } | null;

export function NotificationsSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan("admin");
  const channels = useQuery(trpc.notifications.channels.queryOptions());
  const rules = useQuery(trpc.notifications.rules.queryOptions());
  const deliveries = useQuery(
    trpc.notifications.deliveries.queryOptions(undefined, { refetchInterval: 5_000 }),
  );
  const [editingChannel, setEditingChannel] = useState<Editing<Channel>>(null);
  const [editingRule, setEditingRule] = useState<Editing<Rule>>(null);
  const refresh = () =>
    Promise.all(
      [trpc.notifications.channels, trpc.notifications.rules, trpc.notifications.deliveries].map(
        (procedure) => queryClient.invalidateQueries({ queryKey: procedure.queryKey() }),
      ),
    );
  const done = (close: () => void) => () => {
    close();
    void refresh();
  };
  const channelNames = new Map((channels.data ?? []).map((c) => [c.id, c.name]));

  return (
    <div className="space-y-6">
      <ErrorBanner error={channels.error ?? rules.error ?? deliveries.error} />
      <section className={PANEL} data-testid="notification-channels">
        <div className="flex items-center justify-between">
          <h2 className="font-medium">Channels</h2>
          {isAdmin && !editingChannel ? (
            <Button
              onClick={() => setEditingChannel({ item: null })}
              data-testid="action-add-channel"
            >
              Add a channel
            </Button>
          ) : null}
        </div>
        {editingChannel ? (
          <ChannelForm
            key={editingChannel.item?.id ?? "new"}
            channel={editingChannel.item}
            onDone={done(() => setEditingChannel(null))}
          />
        ) : null}
        {channels.data?.length === 0 ? (
          <EmptyState title="No channel yet" testId="channels-empty">
            <p>
              {isAdmin
                ? "Add a webhook (signed with a secret the receiver shares) or an SMTP server, then a rule that sends findings to it."
                : "An admin adds webhooks and email servers here."}
            </p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {channels.data?.map((channel) => (
              <ChannelRow
                key={channel.id}
                channel={channel}
                isAdmin={isAdmin}
                onEdit={() => setEditingChannel({ item: channel })}
                onChanged={() => void refresh()}
              />
            ))}
          </ul>
        )}
      </section>

      <section className={PANEL} data-testid="notification-rules">
        <div className="flex items-center justify-between">
          <h2 className="font-medium">Rules</h2>
          {isAdmin && !editingRule && (channels.data?.length ?? 0) > 0 ? (
            <Button onClick={() => setEditingRule({ item: null })} data-testid="action-add-rule">
              Add a rule
            </Button>
          ) : null}
        </div>
        {editingRule ? (
          <RuleForm
            key={editingRule.item?.id ?? "new"}
            rule={editingRule.item}
            channels={channels.data ?? []}
            onDone={done(() => setEditingRule(null))}
          />
        ) : null}
        {rules.data?.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="rules-empty">
            No rule: findings are shown in Corral but sent nowhere.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {rules.data?.map((rule) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                channelNames={channelNames}
                isAdmin={isAdmin}
                onEdit={() => setEditingRule({ item: rule })}
                onChanged={() => void refresh()}
              />
            ))}
          </ul>
        )}
      </section>

      <section className={PANEL} data-testid="notification-deliveries">
        <h2 className="font-medium">Recent deliveries</h2>
        {deliveries.data?.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p>
        ) : (
          <ul className="space-y-2">
            {deliveries.data?.map((delivery) => (
              <li key={delivery.id}>
                <DeliveryResult delivery={delivery} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function ChannelRow({
  channel,
  isAdmin,
  onEdit,
  onChanged,
}: {
  channel: Channel;
  isAdmin: boolean;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const test = useMutation(
    trpc.notifications.testChannel.mutationOptions({ onSettled: onChanged }),
  );
  const remove = useMutation(
    trpc.notifications.deleteChannel.mutationOptions({ onSuccess: onChanged }),
  );
  const target =
    channel.type === "webhook"
      ? channel.settings.url
      : `${channel.settings.to.join(", ")} via ${channel.settings.host}:${channel.settings.port}`;
  return (
    <NotificationRow
      what="channel"
      name={channel.name}
      summary={`${channel.type} · ${target}${channel.enabled ? "" : " · disabled"}`}
      isAdmin={isAdmin}
      onEdit={onEdit}
      onTest={() => test.mutate({ id: channel.id })}
      testing={test.isPending}
      results={test.data ? [test.data] : []}
      deleteQuestion={`Delete ${channel.name} and its delivery history?`}
      onDelete={() => remove.mutate({ id: channel.id })}
      error={test.error ?? remove.error}
    />
  );
}

function RuleRow({
  rule,
  channelNames,
  isAdmin,
  onEdit,
  onChanged,
}: {
  rule: Rule;
  channelNames: Map<string, string>;
  isAdmin: boolean;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const test = useMutation(trpc.notifications.testRule.mutationOptions({ onSettled: onChanged }));
  const remove = useMutation(
    trpc.notifications.deleteRule.mutationOptions({ onSuccess: onChanged }),
  );
  const summary = [
    rule.kinds.length ? rule.kinds.join(", ") : "every kind",
    `${rule.minSeverity} and worse`,
    rule.clusterIds.length ? `${rule.clusterIds.length} cluster(s)` : "every cluster",
  ].join(" · ");
  const to = rule.channelIds.map((id) => channelNames.get(id) ?? id).join(", ");
  return (
    <NotificationRow
      what="rule"
      name={rule.name}
      summary={`${summary} → ${to}${rule.enabled ? "" : " · disabled"}`}
      isAdmin={isAdmin}
      onEdit={onEdit}
      onTest={() => test.mutate({ id: rule.id })}
      testing={test.isPending}
      results={test.data ?? []}
      deleteQuestion={`Delete the rule ${rule.name}?`}
      onDelete={() => remove.mutate({ id: rule.id })}
      error={test.error ?? remove.error}
    />
  );
}

/** A channel or a rule: what it is, and for admins "Send a test" (with its result), edit, delete. */
function NotificationRow({
  what,
  name,
  summary,
  isAdmin,
  onEdit,
  onTest,
  testing,
  results,
  deleteQuestion,
  onDelete,
  error,
}: {
  what: "channel" | "rule";
  name: string;
  summary: string;
  isAdmin: boolean;
  onEdit: () => void;
  onTest: () => void;
  testing: boolean;
  results: Delivery[];
  deleteQuestion: string;
  onDelete: () => void;
  error: unknown;
}) {
  return (
    <li className="space-y-2 py-3" data-testid={`notification-${what}`} data-name={name}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="text-sm">
          <span className="font-medium">{name}</span>{" "}
          <span className="text-slate-500">{summary}</span>
        </div>
        {isAdmin ? (
          <div className="flex gap-2">
            <Button
              variant="secondary"
              disabled={testing}
              onClick={onTest}
              data-testid={`action-test-${what}`}
            >
              {testing ? "Sending…" : "Send a test"}
            </Button>
            <Button variant="secondary" onClick={onEdit} data-testid={`action-edit-${what}`}>
              Edit
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                if (window.confirm(deleteQuestion)) onDelete();
              }}
              data-testid={`action-delete-${what}`}
            >
              Delete
            </Button>
          </div>
        ) : null}
      </div>
      {results.map((delivery) => (
        <DeliveryResult key={delivery.id} delivery={delivery} />
      ))}
      <ErrorBanner error={error} />
    </li>
  );
}
