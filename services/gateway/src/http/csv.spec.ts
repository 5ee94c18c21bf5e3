import { attachment, cellText, type CsvColumn, renderCsv } from './csv';

interface Row {
  readonly name: string | null;
  readonly amount: string | number | null;
}

const columns: CsvColumn<Row>[] = [
  { header: 'name', kind: 'text', value: (row) => row.name },
  { header: 'amount', kind: 'decimal', value: (row) => row.amount },
];

describe('renderCsv (RFC 4180)', () => {
  it('writes a header record and one record per row, each ending with CRLF', () => {
    expect(renderCsv(columns, [{ name: 'a', amount: '1.50' }])).toBe('name,amount\r\na,1.50\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(renderCsv(columns, [])).toBe('name,amount\r\n');
  });

  it('quotes a field holding a comma, a quote, CR or LF, and doubles the quotes', () => {
    const rows = [
      { name: 'a,b', amount: null },
      { name: 'say "hi"', amount: null },
      { name: 'two\nlines', amount: null },
      { name: 'cr\rhere', amount: null },
    ];
    expect(renderCsv(columns, rows)).toBe('name,amount\r\n"a,b",\r\n"say ""hi""",\r\n"two\nlines",\r\n"cr\rhere",\r\n');
  });

  it('writes null and undefined as an empty field, numbers as they print', () => {
    expect(renderCsv(columns, [{ name: null, amount: 3 }])).toBe('name,amount\r\n,3\r\n');
  });
});

describe('formula safety', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")'])(
    'prefixes text starting a formula with a quote: %j',
    (text) => expect(cellText('text', text)).toBe(`'${text}`),
  );

  it('leaves other text alone', () => {
    for (const text of ['pro', 'a=b', "'already", '', ' =1']) expect(cellText('text', text)).toBe(text);
  });

  it('keeps plain decimals in decimal columns, negative ones included', () => {
    for (const amount of ['-0.012104', '0.000000', '12', '-3', 7, -0.5]) {
      expect(cellText('decimal', amount)).toBe(String(amount));
    }
  });

  it('defuses anything else in a decimal column', () => {
    expect(cellText('decimal', '-1+1')).toBe("'-1+1");
    expect(cellText('decimal', '=1')).toBe("'=1");
    expect(cellText('decimal', '+1')).toBe("'+1");
  });

  it('defuses a plain decimal in a text column (an id is never a number)', () => {
    expect(cellText('text', '-0.5')).toBe("'-0.5");
  });

  it('defuses before quoting', () => {
    expect(renderCsv(columns, [{ name: '=1,2', amount: '-1,5' }])).toBe('name,amount\r\n"\'=1,2","\'-1,5"\r\n');
  });
});

describe('attachment', () => {
  it('names the file in a Content-Disposition value', () => {
    expect(attachment('invoices-2026-11.csv')).toBe('attachment; filename="invoices-2026-11.csv"');
  });

  it('refuses a name that could break the header', () => {
    expect(() => attachment('a"b.csv')).toThrow();
    expect(() => attachment('a\r\nb.csv')).toThrow();
  });
});
