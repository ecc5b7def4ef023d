/** A failed delivery: whether trying again can help, and how long the other side asked us to wait. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Every secret out of a message (a bot token is part of the Telegram URL, so errors may quote it). */
export function scrubSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
