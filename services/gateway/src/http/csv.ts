/**
 * CSV as RFC 4180 has it — CRLF after every record, a field quoted when it holds a comma,
 * a double quote, CR or LF, and quotes inside doubled — and safe to open in a spreadsheet.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (and some a tab or CR)
 * as a formula, so an id or name chosen by a tenant could make a finance user's
 * spreadsheet compute or fetch something (CSV injection). Such text gets a leading `'`,
 * which spreadsheets show as text. Amounts can be negative (`-0.012104`, a re-rating's
 * difference) and must stay numbers: a `decimal` column leaves a plain decimal alone
 * and treats anything else in it as text.
 */

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvCell = string | number | null | undefined;

export interface CsvColumn<Row> {
  readonly header: string;
  /** `text` is always made formula-safe; `decimal` only when the cell is not a plain decimal. */
  readonly kind: 'text' | 'decimal';
  readonly value: (row: Row) => CsvCell;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The header record and one record per row; every record ends with CRLF. */
export function renderCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const header = columns.map((column) => field(column.header));
  const records = rows.map((row) => columns.map((column) => field(cellText(column.kind, column.value(row)))));
  return [header, ...records].map((record) => `${record.join(',')}\r\n`).join('');
}

/** What a cell shows: empty for null, a plain decimal as it is, text defused. */
export function cellText(kind: CsvColumn<unknown>['kind'], cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  if (kind === 'decimal' && PLAIN_DECIMAL.test(text)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function field(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `attachment; filename="…"` for a name the server chose (no quotes or line breaks in it). */
export function attachment(filename: string): string {
  if (!/^[\w.-]+$/.test(filename)) throw new Error(`Not a safe file name: ${filename}`);
  return `attachment; filename="${filename}"`;
}
