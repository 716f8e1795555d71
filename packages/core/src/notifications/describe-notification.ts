import type { NotificationMessage } from "./notification.types.ts";

/** An email's subject and plain-text body for a message. */
export function describeNotification(message: NotificationMessage): {
  subject: string;
  text: string;
} {
  if (message.event === "test") {
    return {
      subject: "[Corral] Test message",
      text: [
        `A test of the channel "${message.channel}"${message.rule ? ` for the rule "${message.rule}"` : ""}, sent ${message.sentAt}.`,
        "Nothing needs doing.",
      ].join("\n"),
    };
  }
  const { finding, clusterName } = message;
  const subject = (): string => {
    const where = [clusterName, finding.vm, finding.node].filter(Boolean).join(" / ");
    return message.event === "finding.opened"
      ? `[Corral] ${finding.severity.toUpperCase()} ${finding.kind} on ${where}`
      : `[Corral] RESOLVED ${finding.kind} on ${where}`;
  };
  const lines =
    message.event === "finding.opened"
      ? [
          finding.summary,
          "",
          `Why it matters: ${finding.why}`,
          "",
          "To fix it:",
          ...finding.fix.map((command) => `  ${command}`),
          "",
          `Opened ${finding.openedAt}.`,
        ]
      : [
          `Resolved: ${finding.summary}`,
          "",
          `Opened ${finding.openedAt}, resolved ${finding.resolvedAt ?? "now"}.`,
        ];
  return { subject: subject(), text: lines.join("\n") };
}
