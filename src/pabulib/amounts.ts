/**
 * Money and points as the files write them: whole numbers, decimals with a point ("1647263.73",
 * Kraków's grosze) or a comma ("1647263,73", which pabutools also reads). Read exactly as decimal
 * digits, never through a float, so amounts can be scaled to a common minor unit.
 */

export interface Decimal {
  readonly negative: boolean;
  /** Digits, leading zeros and trailing fraction zeros removed ("" for zero). */
  readonly digits: string;
  /** Number of fraction digits in `digits`. */
  readonly decimals: number;
  /** Written with a decimal comma. */
  readonly comma: boolean;
}

const DECIMAL = /^([+-]?)(\d*)(?:([.,])(\d*))?$/;

/** Parses "1500", "1500.0", "1647263.73", "0,5", "-2"; undefined for anything else (also "", ".", "1e3"). */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', separator, fraction = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  const frac = fraction.replace(/0+$/, '');
  const digits = `${whole}${frac}`.replace(/^0+/, '');
  return { negative: sign === '-' && digits !== '', digits, decimals: frac.length, comma: separator === ',' };
}

/** The value times 10^scaleDecimals as a safe integer, or undefined if it does not fit (or is not whole). */
export function scaled(value: Decimal, scaleDecimals: number): number | undefined {
  if (value.decimals > scaleDecimals) return undefined;
  const digits = value.digits === '' ? '0' : value.digits + '0'.repeat(scaleDecimals - value.decimals);
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return undefined;
  return value.negative ? -n : n;
}

/** An amount in minor units (10^decimals per unit) written back as a decimal number of units: 164726373, 2 → 1647263.73. */
export function unitsOf(minor: number, decimals: number): number {
  if (decimals === 0) return minor;
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  const text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return Number(negative ? `-${text}` : text);
}
