/**
 * CSV as RFC 4180 says (comma, CRLF, quotes doubled), with a byte-order mark so spreadsheet programs read the
 * Danish letters right. A cell that starts like a formula (= + - @, tab, CR) gets a leading apostrophe: a reason
 * typed in chat must not run as a formula when the file is opened in a spreadsheet.
 */
export type Cell = string | number | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
