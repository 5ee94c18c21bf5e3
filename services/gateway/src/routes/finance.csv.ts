import type {
  FinanceInvoicesView,
  FinanceUsageView,
  InvoiceLineView,
  InvoiceView,
  TenantUsageView,
} from '@caas/contracts';
import { type CsvColumn, renderCsv } from '../http/csv';

/*
 * The finance exports, flat enough for a spreadsheet or an accounting import: one record
 * per thing that has an amount, and no totals rows (sum the column; the JSON routes
 * carry the totals per currency and the reconciliation).
 */

/**
 * One record per invoice line, with its invoice's period, tenant, id and currency
 * repeated, so the amount column sums to the invoices' totals. An invoice without lines
 * still gets one record (line columns empty, amount its total), so none goes missing.
 */
interface InvoiceLineRecord {
  readonly invoice: InvoiceView;
  readonly line: InvoiceLineView | null;
}

const INVOICE_LINE_COLUMNS: readonly CsvColumn<InvoiceLineRecord>[] = [
  { header: 'period', kind: 'text', value: (r) => r.invoice.period },
  { header: 'tenantId', kind: 'text', value: (r) => r.invoice.tenantId },
  { header: 'invoiceId', kind: 'text', value: (r) => r.invoice.invoiceId },
  { header: 'currency', kind: 'text', value: (r) => r.invoice.currency },
  { header: 'unit', kind: 'text', value: (r) => r.line?.unit },
  { header: 'planId', kind: 'text', value: (r) => r.line?.planId },
  { header: 'priceVersion', kind: 'decimal', value: (r) => r.line?.priceVersion },
  { header: 'quantity', kind: 'decimal', value: (r) => r.line?.quantity },
  { header: 'unitPrice', kind: 'decimal', value: (r) => r.line?.unitPrice },
  { header: 'amount', kind: 'decimal', value: (r) => (r.line ? r.line.amount : r.invoice.total) },
];

export function invoicesCsv(view: FinanceInvoicesView): string {
  const records = view.invoices.flatMap((invoice): InvoiceLineRecord[] =>
    invoice.lines.length > 0 ? invoice.lines.map((line) => ({ invoice, line })) : [{ invoice, line: null }],
  );
  return renderCsv(INVOICE_LINE_COLUMNS, records);
}

/** One record per tenant: its metered usage of the period and what it rates to. */
interface TenantUsageRecord {
  readonly period: string;
  readonly usage: TenantUsageView;
}

const TENANT_USAGE_COLUMNS: readonly CsvColumn<TenantUsageRecord>[] = [
  { header: 'period', kind: 'text', value: (r) => r.period },
  { header: 'tenantId', kind: 'text', value: (r) => r.usage.tenantId },
  { header: 'currency', kind: 'text', value: (r) => r.usage.currency },
  { header: 'containerHours', kind: 'decimal', value: (r) => r.usage.containerHours },
  { header: 'vcpuHours', kind: 'decimal', value: (r) => r.usage.vcpuHours },
  { header: 'memoryGbHours', kind: 'decimal', value: (r) => r.usage.memoryGbHours },
  { header: 'volumeGbMonths', kind: 'decimal', value: (r) => r.usage.volumeGbMonths },
  { header: 'imageStorageGbMonths', kind: 'decimal', value: (r) => r.usage.imageStorageGbMonths },
  { header: 'charge', kind: 'decimal', value: (r) => r.usage.charge },
];

export function usageCsv(view: FinanceUsageView): string {
  return renderCsv(
    TENANT_USAGE_COLUMNS,
    view.tenants.map((usage) => ({ period: view.period, usage })),
  );
}
