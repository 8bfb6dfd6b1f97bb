import type { Locale } from './locale.ts';

/**
 * Money in minor units to plain words: "4.500 kr." / "DKK 4,500"; øre only when there are any.
 * Integer arithmetic so no amount is ever shown rounded.
 */
export function formatMoney(minor: number, locale: Locale, currency = 'DKK'): string {
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  const group = (n: number, sep: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const sign = negative ? '-' : '';
  if (locale === 'da') {
    const amount = group(whole, '.') + (cents ? ',' + String(cents).padStart(2, '0') : '');
    return currency === 'DKK' ? `${sign}${amount} kr.` : `${sign}${amount} ${currency}`;
  }
  const amount = group(whole, ',') + (cents ? '.' + String(cents).padStart(2, '0') : '');
  return `${sign}${currency} ${amount}`;
}

/** Parses "4500", "4.500", "4500,50", "4,500.50" kr. into minor units; undefined if it is not a money amount. */
export function parseMoney(text: string, locale: Locale): number | undefined {
  const cleaned = text.trim().replace(/\s|kr\.?|dkk/gi, '');
  if (!cleaned) return undefined;
  const [thousands, decimal] = locale === 'da' ? ['.', ','] : [',', '.'];
  // Thousands groups never start with 0: "0.001" is not a thousand-separated 1 kr. but a mistake.
  const m = new RegExp(`^([1-9]\\d{0,2}(?:\\${thousands}\\d{3})+|\\d+)(?:\\${decimal}(\\d{1,2}))?$`).exec(cleaned);
  if (!m) return undefined;
  const whole = Number(m[1]!.split(thousands).join(''));
  const cents = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  const minor = whole * 100 + cents;
  return Number.isSafeInteger(minor) ? minor : undefined;
}
