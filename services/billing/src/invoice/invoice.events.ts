import type { InvoiceIssued } from '@caas/contracts';
import { streamName } from '@caas/event-store';

export type InvoiceEvent = InvoiceIssued;

/** One stream per tenant and month: `invoice-<tenantId>_<YYYY-MM>`. */
export const invoiceStream = (tenantId: string, period: string) => streamName('invoice', `${tenantId}_${period}`);

export interface InvoiceState {
  readonly issued: InvoiceIssued['data'] | null;
}

export const initialInvoiceState = (): InvoiceState => ({ issued: null });

export function evolveInvoice(_state: InvoiceState, event: InvoiceEvent): InvoiceState {
  return { issued: event.data };
}
