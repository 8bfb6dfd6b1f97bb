import { randomInt, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
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
