/**
 * Small helpers for exact arithmetic on BigInt fractions. Denominators are always positive.
 */

/** Number of bits of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < 0n) x = -x;
  if (x === 0n) return 0;
  const hex = x.toString(16);
  const top = parseInt(hex[0]!, 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(top));
}

/**
 * num/den as the nearest-ish double: relative error at most about 2^-53 (the quotient is first
 * truncated to 64 significant bits, then rounded to 53). den > 0.
 */
export function fractionToNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const negative = num < 0n;
  if (negative) num = -num;
  const shift = 64 - (bitLength(num) - bitLength(den));
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  const value = scale2(Number(q), -shift);
  return negative ? -value : value;
}

/** x·2^e without overflow in the intermediate power for large |e|. */
function scale2(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

/** Sign of a/b − c/d for positive denominators b, d. */
export function compareFractions(a: bigint, b: bigint, c: bigint, d: bigint): number {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** floor(num/den) as a number (den > 0), for amounts that fit a double exactly. */
export function floorDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num < 0n && q * den !== num ? q - 1n : q;
}
