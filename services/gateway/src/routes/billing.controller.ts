import { BILLING, PeriodV1, type CurrentBillView, type InvoiceView, type UsageView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { CurrentBillViewDto, InvoiceViewDto, UsageViewDto } from './billing.dto';

/**
 * The tenant's own bill, invoices and usage. The tenant is the credential's (the billing
 * service answers for the tenant in the request's meta only); any tenant role may read.
 */
@ApiTags('billing')
@Controller('billing')
@TenantScoped()
export class BillingController {
  constructor(@Inject(RpcClient) private readonly billing: RpcClient) {}

  @Get('current')
  @ApiOperation({ summary: 'The running bill of the current month: closed hours and days, lines so far' })
  @ApiOkResponse({ type: CurrentBillViewDto })
  current(@Caller() meta: RequestMeta): Promise<CurrentBillView> {
    return this.billing.request(BILLING.currentBill, {}, meta);
  }

  @Get('invoices')
  @ApiOperation({ summary: 'The tenant’s issued invoices, newest first' })
  @ApiOkResponse({ type: [InvoiceViewDto] })
  invoices(@Caller() meta: RequestMeta): Promise<InvoiceView[]> {
    return this.billing.request(BILLING.listInvoices, {}, meta);
  }

  @Get('invoices/:period')
  @ApiOperation({ summary: 'The invoice of a month (YYYY-MM); 404 until it is issued' })
  @ApiOkResponse({ type: InvoiceViewDto })
  invoice(@Param() params: PeriodV1, @Caller() meta: RequestMeta): Promise<InvoiceView> {
    return this.billing.request(BILLING.getInvoice, { period: params.period }, meta);
  }

  @Get('usage')
  @ApiOperation({ summary: 'The tenant’s metered usage in a month (?period=YYYY-MM), hour by hour' })
  @ApiOkResponse({ type: UsageViewDto })
  usage(@Query() query: PeriodV1, @Caller() meta: RequestMeta): Promise<UsageView> {
    return this.billing.request(BILLING.tenantUsage, { period: query.period }, meta);
  }
}
