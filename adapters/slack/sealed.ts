import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Bot tokens at rest: AES-256-GCM with a key derived (HKDF-SHA256) from the state secret, so a copy of the
 * database (a backup, a dump for support) holds no usable Slack token. `v1.` + base64url(iv ‖ tag ‖ ciphertext).
 */
const keyOf = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'pulje', 'slack bot token v1', 32));

export function sealToken(secret: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The token, or an error if it was sealed with another secret (or altered). */
export function openToken(secret: string, sealed: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('slack: a stored token in an unknown format');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
