import type { InvoiceLine } from '@caas/contracts';
import { deterministicUuid } from '@caas/domain';
import type { InvoiceEvent, InvoiceState } from './invoice.events';

/** The issuer: every hour of the month is closed, and its usage rated. */
export interface IssueInvoice {
  readonly kind: 'IssueInvoice';
  readonly tenantId: string;
  readonly period: string;
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly total: string;
  readonly at: string;
}

/** Issues the month's invoice once: an issued invoice is final, so a second issue records nothing. */
export function issueInvoice(command: IssueInvoice, state: InvoiceState): InvoiceEvent[] {
  if (state.issued) return [];
  const { tenantId, period, currency, lines, total, at } = command;
  const invoiceId = deterministicUuid(`invoice:${tenantId}:${period}`);
  return [{ type: 'InvoiceIssued', data: { invoiceId, tenantId, period, currency, lines, total, issuedAt: at } }];
}
