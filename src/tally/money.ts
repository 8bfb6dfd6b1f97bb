/** Formats an amount given in minor units (e.g. øre) for display. */
export type MoneyFormatter = (minor: number) => string;

export type Locale = 'da' | 'en';

function group(whole: bigint, separator: string): string {
  const digits = whole.toString();
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

/**
 * Danish kroner from øre: da "4.500 kr." / "4.500,50 kr.", en "DKK 4,500" / "DKK 4,500.50".
 * Øre are shown only when non-zero. Negative amounts get a leading minus.
 */
export function formatDkk(minor: number, locale: Locale): string {
  if (!Number.isSafeInteger(minor)) minor = Math.round(minor);
  const negative = minor < 0;
  const abs = BigInt(Math.abs(minor));
  const kroner = abs / 100n;
  const ore = Number(abs % 100n);
  const sign = negative ? '-' : '';
  if (locale === 'da') {
    const decimals = ore === 0 ? '' : `,${String(ore).padStart(2, '0')}`;
    return `${sign}${group(kroner, '.')}${decimals} kr.`;
  }
  const decimals = ore === 0 ? '' : `.${String(ore).padStart(2, '0')}`;
  return `${sign}DKK ${group(kroner, ',')}${decimals}`;
}

/** Whole numbers with the locale's thousands separator: da "12.500", en "12,500". */
export function formatCount(value: number, locale: Locale): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + group(BigInt(Math.abs(rounded)), locale === 'da' ? '.' : ',');
}

/**
 * A formatter for plain amounts in a given unit, without minor units (for pabulib files, whose
 * amounts are whole currency units): da "4.500 PLN", en "4,500 PLN".
 */
export function plainMoney(locale: Locale, unit = ''): MoneyFormatter {
  return (minor) => (unit ? `${formatCount(minor, locale)} ${unit}` : formatCount(minor, locale));
}
