import { createHmac } from 'node:crypto';

/**
 * Slack signs every HTTP request it sends to an app: `X-Slack-Signature: v0=` + hex HMAC-SHA256 of
 * `v0:{X-Slack-Request-Timestamp}:{raw body}` with the app's signing secret; apps refuse timestamps more than
 * five minutes old. Source: https://docs.slack.dev/authentication/verifying-requests-from-slack
 * ("Validating a request", steps 1–5).
 */
export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return 'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
}

/** How a simulated delivery signs itself: correctly, with the wrong secret, or with a timestamp past the 5-minute window. */
export type SignatureMode = 'valid' | 'bad' | 'stale';

export function signedHeaders(signingSecret: string, rawBody: string, mode: SignatureMode, nowMs: number): Record<string, string> {
  // A stale timestamp is 6 minutes old: outside the documented 5-minute replay window, so the app must refuse it.
  const timestamp = Math.floor(nowMs / 1000) - (mode === 'stale' ? 6 * 60 : 0);
  const secret = mode === 'bad' ? `${signingSecret}-wrong` : signingSecret;
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, rawBody),
  };
}
