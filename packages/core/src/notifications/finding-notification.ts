import type { Finding } from "../findings/finding.types.ts";
import type { FindingTransition, NotificationMessage } from "./notification.types.ts";

/** The message of a finding's opening or resolution, for delivery `id`. */
export function findingNotification(
  id: string,
  transition: FindingTransition,
  clusterName: string,
  finding: Finding,
): NotificationMessage {
  const { acknowledgement: _, openedAt, resolvedAt, ...rest } = finding;
  return {
    id,
    event: `finding.${transition}`,
    clusterName,
    finding: {
      ...rest,
      openedAt: openedAt.toISOString(),
      resolvedAt: resolvedAt?.toISOString() ?? null,
    },
  };
}
