import { spec } from '@caas/domain/src/decider-spec';
import { invoiceDecider } from './invoice.decider';
import type { IssueInvoice } from './issue-invoice';

const issue: IssueInvoice = {
  kind: 'IssueInvoice',
  tenantId: 't-1',
  period: '2026-11',
  currency: 'EUR',
  lines: [
    {
      unit: 'container',
      planId: 'pro',
      priceVersion: 1,
      quantity: '2.000000',
      unitPrice: '0.001000',
      amount: '0.002000',
    },
  ],
  total: '0.002000',
  at: '2026-12-01T00:06:00.000Z',
};

describe('invoice decider', () => {
  const invoice = spec(invoiceDecider);

  it('issues the month’s invoice with its lines and total', () => {
    invoice
      .given([])
      .when(issue)
      .then([
        {
          type: 'InvoiceIssued',
          data: {
            invoiceId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown as string,
            tenantId: 't-1',
            period: '2026-11',
            currency: 'EUR',
            lines: issue.lines,
            total: '0.002000',
            issuedAt: issue.at,
          },
        },
      ]);
  });

  it('never issues twice: an issued invoice is final', () => {
    const [issued] = invoiceDecider.decide(issue, invoiceDecider.initialState());
    invoice
      .given([issued!])
      .when({ ...issue, total: '9.000000' })
      .then([]);
  });
});
