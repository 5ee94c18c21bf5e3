import type { Decider } from '@caas/domain';
import { type InvoiceEvent, type InvoiceState, evolveInvoice, initialInvoiceState } from './invoice.events';
import { type IssueInvoice, issueInvoice } from './issue-invoice';

export type InvoiceCommand = IssueInvoice;

export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = {
  initialState: initialInvoiceState,
  evolve: evolveInvoice,
  // One command: an invoice is issued, and that is all that ever happens to it.
  decide: (command, state) => issueInvoice(command, state),
};
