/**
 * CSV for spreadsheets (RFC 4180, CRLF line ends), safe to open:
 * - a text cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return —
 *   OWASP's CSV-injection list — or their full-width forms, after any leading spaces) is prefixed with an
 *   apostrophe, so it shows as the text it is;
 * - every text cell is quoted, so a `;` or tab inside it never splits it where a spreadsheet's locale uses them as
 *   separators (`Ali;=HYPERLINK(…)` would otherwise become a cell of its own starting with `=`).
 * Numbers and booleans are written as they are. A UTF-8 byte-order mark goes first so that Excel reads Persian.
 */
const FORMULA_START = /^[\s\u00a0]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const BOM = '\ufeff';

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text: string;
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) text = value.join('; ');
  else text = JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** A whole CSV file: a header row of column names, then one row per record. */
export function csvFile(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
