import {
  BILLING,
  DefinePricesV1,
  type FinanceInvoicesView,
  type FinanceUsageView,
  PeriodV1,
  type PriceBookView,
  type PriceVersionView,
  type ReratingView,
  conflict,
  invalid,
} from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf, newId } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { ReadYourWrites } from '@caas/read-model';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { priceBookDecider } from '../price-book/price-book.decider';
import { priceBookStream } from '../price-book/price-book.events';
import { reratingDecider } from '../rerating/rerating.decider';
import { reratingStream } from '../rerating/rerating.events';
import { requireFinance } from '../shared/finance-caller';
import { BILLING_DATA_SOURCE, BILLING_NOW, EVENT_STORE } from '../shared/tokens';
import { invoices, priceBooks, reratings } from './billing.queries';
import { financeInvoices, financeUsage, reratedInvoices } from './bills';

/** Every tenant's money, for the platform's finance staff (see requireFinance). */
@Controller()
@UseFilters(RpcErrorFilter)
export class FinanceHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BILLING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(BILLING_NOW) private readonly now: () => Date,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @MessagePattern(BILLING.financeInvoices)
  async invoices(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<FinanceInvoicesView> {
    requireFinance(meta);
    const { period } = await validated(PeriodV1, payload);
    return financeInvoices(this.dataSource.manager, period);
  }

  @MessagePattern(BILLING.financeUsage)
  async usage(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<FinanceUsageView> {
    requireFinance(meta);
    const { period } = await validated(PeriodV1, payload);
    return financeUsage(this.dataSource.manager, period);
  }

  @MessagePattern(BILLING.listPrices)
  async prices(@Meta() meta: RequestMeta): Promise<PriceBookView[]> {
    requireFinance(meta);
    const books = await priceBooks(this.dataSource.manager);
    return [...books.entries()].map(([planId, versions]) => ({
      planId,
      // Versions read from the read model always carry when they were defined.
      versions: versions.map((version): PriceVersionView => ({ planId, ...version, definedAt: version.definedAt! })),
    }));
  }

  /**
   * A new price version. The platform bills in one currency: a plan may not be priced
   * in another than the others are, or a month on two plans could not be invoiced.
   */
  @MessagePattern(BILLING.definePrices)
  async define(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<PriceVersionView> {
    requireFinance(meta);
    const { planId, effectiveFrom, prices } = await validated(DefinePricesV1, payload);
    const books = await priceBooks(this.dataSource.manager);
    const other = [...books.values()].flat().find((version) => version.prices.currency !== prices.currency);
    if (other) {
      throw invalid(
        'prices.currency',
        'platformCurrency',
        `currency must be ${other.prices.currency}, as every plan's`,
      );
    }
    const stream = priceBookStream(planId);
    const { events, nextExpectedRevision } = await handleCommand(
      this.store,
      priceBookDecider,
      stream,
      { kind: 'DefinePrices', planId, effectiveFrom, prices: { ...prices }, at: this.now().toISOString() },
      contextOf(meta, null),
    );
    await this.readYourWrites.streamApplied(stream, nextExpectedRevision);
    const defined = events.at(-1);
    if (!defined) throw conflict(`No price version was defined for '${planId}'`);
    return defined.data;
  }

  /** Prices the period's issued invoices anew: a projection of its own; the invoices stay as issued. */
  @MessagePattern(BILLING.reratePeriod)
  async rerate(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ReratingView> {
    requireFinance(meta);
    const { period } = await validated(PeriodV1, payload);
    const issued = await invoices(this.dataSource.manager, { period });
    if (issued.length === 0) throw conflict(`No invoice of ${period} is issued yet: nothing to re-rate`, { period });
    const reratingId = newId(meta, 'rerating');
    const stream = reratingStream(reratingId);
    const { nextExpectedRevision } = await handleCommand(
      this.store,
      reratingDecider,
      stream,
      {
        kind: 'ReratePeriod',
        reratingId,
        period,
        invoices: await reratedInvoices(this.dataSource.manager, period),
        at: this.now().toISOString(),
      },
      contextOf(meta, null),
    );
    await this.readYourWrites.streamApplied(stream, nextExpectedRevision);
    const [view] = (await reratings(this.dataSource.manager, period)).filter((r) => r.reratingId === reratingId);
    return view!;
  }

  @MessagePattern(BILLING.listReratings)
  async listReratings(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ReratingView[]> {
    requireFinance(meta);
    const { period } = await validated(PeriodV1, payload);
    return reratings(this.dataSource.manager, period);
  }
}
