/** What a receiver made of one attempt: its status (HTTP or SMTP), its words, or the error. */
export interface SendOutcome {
  ok: boolean;
  responseCode: number | null;
  response: string | null;
  error: string | null;
}
