import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { ReadYourWrites } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { formatAmount } from '../price-book/money';
import { hoursOfPeriod, monthsToInvoice, priceBooks } from './billing.queries';
import { invoiceDecider } from './invoice.decider';
import { invoiceStream } from './invoice.events';
import { lineView, rate } from './rating';

/**
 * Issues each month's invoice once all its hours are closed: the month's hourly rows
 * rated with the price version of each hour's plan in force at that hour. Run after the
 * clock, on a read model that has applied the clock's closes. Idempotent: the command id
 * is the invoice's, and an issued invoice records nothing more.
 */
export class InvoiceIssuer {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    /** The invoicing read model: a round ends once its invoices are visible, so the next does not issue them again. */
    private readonly readYourWrites: ReadYourWrites,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Answers how many invoices it issued; one that cannot be rated is reported and left for the next round. */
  async issueDue(): Promise<number> {
    const due = await monthsToInvoice(this.dataSource.manager);
    if (due.length === 0) return 0;
    const books = await priceBooks(this.dataSource.manager);
    let issued = 0;
    for (const { tenantId, period } of due) {
      try {
        const hours = (await hoursOfPeriod(this.dataSource.manager, period, tenantId)).get(tenantId) ?? [];
        const rating = rate(hours, books);
        const handled = await handleCommand(
          this.store,
          invoiceDecider,
          invoiceStream(tenantId, period),
          {
            kind: 'IssueInvoice',
            tenantId,
            period,
            currency: rating.currency,
            lines: rating.lines.map(lineView),
            total: formatAmount(rating.total),
            at: this.now().toISOString(),
          },
          {
            tenantId,
            actor: SYSTEM_ACTOR,
            correlationId: `invoice:${tenantId}:${period}`,
            causationId: 'billing-invoice-issuer',
            commandId: `invoice:${tenantId}:${period}`,
          },
        );
        await this.readYourWrites.streamApplied(invoiceStream(tenantId, period), handled.nextExpectedRevision);
        if (!handled.replayed && handled.events.length > 0) issued += 1;
      } catch (error) {
        this.onError(error);
      }
    }
    return issued;
  }
}
