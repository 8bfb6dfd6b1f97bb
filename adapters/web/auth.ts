import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed, expiring tokens: `v1.<payload>.<signature>`, payload base64url JSON, HMAC-SHA256 over "v1.<payload>".
 * A session token is the cookie value and the bearer token; an invite token is the link staff hand out. No
 * passwords and no server-side sessions: a token is valid until it expires (or its person stops existing).
 */
const payloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), sub: z.string().min(1).max(100), exp: z.number().int(), iat: z.number().int().optional() }),
  z.object({
    kind: z.literal('invite'),
    sub: z.string().min(1).max(100),
    grp: z.string().min(1).max(100),
    exp: z.number().int(),
    /** Issued at (milliseconds): a person's tokens issued before their revocation are refused. */
    iat: z.number().int().optional(),
    n: z.string(),
  }),
]);
export type TokenPayload = z.output<typeof payloadSchema>;

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
export const SESSION_COOKIE = 'pulje_session';

export interface Signer {
  sign(payload: TokenPayload): string;
  verify(token: string, now?: number): TokenPayload | undefined;
}

export function createSigner(secret: string): Signer {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    sign(payload) {
      const body = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token, now = Date.now()) {
      const m = /^(v1\.[A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return undefined;
      const given = Buffer.from(m[2]!, 'base64url');
      const expected = mac(m[1]!);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(m[1]!.slice(3), 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const parsed = payloadSchema.safeParse(json);
      if (!parsed.success || parsed.data.exp * 1000 <= now) return undefined;
      return parsed.data;
    },
  };
}

export function sessionToken(signer: Signer, personId: string, now = Date.now()): { token: string; expiresAt: Date } {
  const exp = Math.floor((now + SESSION_TTL_MS) / 1000);
  return { token: signer.sign({ kind: 'session', sub: personId, exp, iat: Math.floor(now) }), expiresAt: new Date(exp * 1000) };
}

export function inviteToken(signer: Signer, personId: string, groupId: string, ttlMs = INVITE_TTL_MS, now = Date.now()) {
  const exp = Math.floor((now + ttlMs) / 1000);
  // A nonce makes each issued link distinct, so a leaked link can be told apart in logs.
  return {
    token: signer.sign({ kind: 'invite', sub: personId, grp: groupId, exp, iat: Math.floor(now), n: randomBytes(6).toString('base64url') }),
    expiresAt: new Date(exp * 1000),
  };
}
