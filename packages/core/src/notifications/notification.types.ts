import type { FindingKind, FindingSeverity, ObservedFinding } from "../findings/finding.types.ts";

export type NotificationChannelType = "webhook" | "email";

/** How the SMTP connection is secured: TLS from the start, STARTTLS required, or plain. */
export const SMTP_SECURITY = ["tls", "starttls", "none"] as const;
type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface WebhookSettings {
  url: string;
}

export interface EmailSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  /** null: the server takes mail without authentication. */
  username: string | null;
  from: string;
  to: string[];
}

/**
 * Where messages go. The secret (a webhook's signing key, an SMTP password) is stored sealed and
 * only opened to send; what the API shows is whether there is one.
 */
export type NotificationChannel = {
  id: string;
  name: string;
  enabled: boolean;
  hasSecret: boolean;
} & ({ type: "webhook"; settings: WebhookSettings } | { type: "email"; settings: EmailSettings });

/** Which findings a rule sends, and where: every kind and every cluster when left empty. */
export interface NotificationRule {
  id: string;
  name: string;
  enabled: boolean;
  kinds: FindingKind[];
  minSeverity: FindingSeverity;
  clusterIds: string[];
  channelIds: string[];
}

export type FindingTransition = "opened" | "resolved";

/** A finding as a message carries it: times as ISO 8601 strings, no acknowledgement. */
interface FindingPayload extends ObservedFinding {
  id: string;
  clusterId: string;
  openedAt: string;
  resolvedAt: string | null;
}

/**
 * The JSON a webhook receives and an email is written from, fixed when it is queued, so every
 * attempt sends the same bytes. `id` is the delivery's: a receiver can drop a repeat it already
 * took (a retry after a timeout that did reach it).
 */
export type NotificationMessage = { id: string } & (
  | { event: `finding.${FindingTransition}`; clusterName: string; finding: FindingPayload }
  | { event: "test"; rule: string | null; channel: string; sentAt: string }
);
