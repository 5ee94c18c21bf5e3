import type { InvoiceView } from '@caas/contracts';
import { invoicesCsv, usageCsv } from './finance.csv';

const invoice = (lines: InvoiceView['lines'], total: string): InvoiceView => ({
  invoiceId: 'inv-1',
  tenantId: 't-1',
  period: '2026-11',
  currency: 'EUR',
  lines,
  total,
  issuedAt: '2026-12-01T00:00:00.000Z',
});

const HEADER = 'period,tenantId,invoiceId,currency,unit,planId,priceVersion,quantity,unitPrice,amount\r\n';

describe('invoicesCsv', () => {
  it('writes one record per line, the invoice repeated on each', () => {
    const csv = invoicesCsv({
      period: '2026-11',
      invoices: [
        invoice(
          [
            {
              unit: 'monthlyFee',
              planId: 'pro',
              priceVersion: 1,
              quantity: '720',
              unitPrice: '0.040278',
              amount: '29.000000',
            },
            { unit: 'vcpu', planId: 'pro', priceVersion: 2, quantity: '1.5', unitPrice: '0.018', amount: '0.027000' },
          ],
          '29.027000',
        ),
      ],
      totals: [],
      reconciliation: [],
    });
    expect(csv).toBe(
      HEADER +
        '2026-11,t-1,inv-1,EUR,monthlyFee,pro,1,720,0.040278,29.000000\r\n' +
        '2026-11,t-1,inv-1,EUR,vcpu,pro,2,1.5,0.018,0.027000\r\n',
    );
  });

  it('keeps an invoice without lines as one record whose amount is its total', () => {
    const csv = invoicesCsv({ period: '2026-11', invoices: [invoice([], '0.000000')], totals: [], reconciliation: [] });
    expect(csv).toBe(HEADER + '2026-11,t-1,inv-1,EUR,,,,,,0.000000\r\n');
  });
});

describe('usageCsv', () => {
  it('writes one record per tenant with the period of the view', () => {
    const csv = usageCsv({
      period: '2026-11',
      tenants: [
        {
          tenantId: '=cmd',
          currency: 'EUR',
          containerHours: '10',
          vcpuHours: '5',
          memoryGbHours: '2.5',
          volumeGbMonths: '0',
          imageStorageGbMonths: '0.1',
          charge: '1.234567',
        },
      ],
      totals: [],
    });
    expect(csv).toBe(
      'period,tenantId,currency,containerHours,vcpuHours,memoryGbHours,volumeGbMonths,imageStorageGbMonths,charge\r\n' +
        "2026-11,'=cmd,EUR,10,5,2.5,0,0.1,1.234567\r\n",
    );
  });
});
