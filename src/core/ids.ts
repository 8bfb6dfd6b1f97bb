import { createHash, randomInt, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/**
 * The same id for the same name, shaped as a UUIDv8 (RFC 9562's vendor-specific version) from the name's SHA-256:
 * a row written for a request that is retried with the same key gets the same id, so the retry finds it taken.
 */
export function idFromName(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

let lastMs = 0;
let seq = 0;

/**
 * A UUIDv7 (RFC 9562) whose text sorts in creation order within this process, even for ids made in the same
 * millisecond (a 12-bit counter in rand_a, method 1): rows that must keep the order they arrived in (captured
 * messages) use it as the tie-breaker after their timestamp.
 */
export function newOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = 0;
  }
  const hex = ms.toString(16).padStart(12, '0');
  const rand = randomUUID().replace(/-/g, '');
  const variant = ((Number.parseInt(rand[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7${seq.toString(16).padStart(3, '0')}-${variant}${rand.slice(17, 20)}-${rand.slice(20, 32)}`;
}

// No 0/O, 1/I/L: a receipt is read aloud and typed back by young people on phones.
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short random code like "K7Q-2MX-9PD" (about 44 bits): enough to be unguessable per round. */
export function newReceiptCode(): string {
  let out = '';
  for (let i = 0; i < 9; i++) {
    if (i && i % 3 === 0) out += '-';
    out += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  }
  return out;
}
