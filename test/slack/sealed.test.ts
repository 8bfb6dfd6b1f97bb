import { describe, expect, it } from 'vitest';
import { openToken, sealToken } from '../../adapters/slack/sealed.ts';

describe('Slack bot tokens at rest', () => {
  it('are sealed: different every time, opened only with the same secret, and tampering is noticed', () => {
    const secret = 'a-state-secret-for-tests-0123456789';
    const token = 'xoxb-1234-5678-abcdef';
    const a = sealToken(secret, token);
    const b = sealToken(secret, token);
    expect(a).not.toBe(b);
    expect(a).not.toContain('xoxb');
    expect(openToken(secret, a)).toBe(token);
    expect(() => openToken('another-secret-entirely-0123456789', a)).toThrow();
    // One bit of the ciphertext flipped (changing a base64 character could leave the bytes as they were).
    const raw = Buffer.from(a.slice(3), 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    const tampered = `v1.${raw.toString('base64url')}`;
    expect(tampered).not.toBe(a);
    expect(() => openToken(secret, tampered)).toThrow();
  });
});
