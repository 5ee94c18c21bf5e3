import { BILLING, type CurrentBillView, type InvoiceView, PeriodV1, type UsageView, notFound } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { BILLING_DATA_SOURCE, BILLING_NOW } from '../shared/tokens';
import { invoices } from './billing.queries';
import { currentBill, tenantUsage } from './bills';

/** A tenant's own bill, invoices and usage: the tenant is the credential's, never the payload's. */
@Controller()
@UseFilters(RpcErrorFilter)
export class BillingHandlers {
  constructor(
    @Inject(BILLING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(BILLING_NOW) private readonly now: () => Date,
  ) {}

  @MessagePattern(BILLING.currentBill)
  current(@Meta() meta: RequestMeta): Promise<CurrentBillView> {
    return currentBill(this.dataSource.manager, readerTenant(meta), this.now());
  }

  @MessagePattern(BILLING.listInvoices)
  list(@Meta() meta: RequestMeta): Promise<InvoiceView[]> {
    return invoices(this.dataSource.manager, { tenantId: readerTenant(meta) });
  }

  @MessagePattern(BILLING.getInvoice)
  async get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<InvoiceView> {
    const { period } = await validated(PeriodV1, payload);
    const tenantId = readerTenant(meta);
    const [invoice] = await invoices(this.dataSource.manager, { tenantId, period });
    if (!invoice) throw notFound('invoice', period);
    return invoice;
  }

  @MessagePattern(BILLING.tenantUsage)
  async usage(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<UsageView> {
    const { period } = await validated(PeriodV1, payload);
    return tenantUsage(this.dataSource.manager, readerTenant(meta), period);
  }
}
