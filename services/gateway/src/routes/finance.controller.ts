import {
  BILLING,
  DefinePricesV1,
  PeriodV1,
  type FinanceInvoicesView,
  type FinanceUsageView,
  type PriceBookView,
  type PriceVersionView,
  type ReratingView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlatformRoles } from '../auth/access.decorators';
import { Caller, CallingUser } from '../auth/caller.decorator';
import { toPlatformRequestMeta, type UserPrincipal } from '../auth/principal';
import { attachment, CSV_CONTENT_TYPE } from '../http/csv';
import {
  FinanceInvoicesViewDto,
  FinanceUsageViewDto,
  PriceBookViewDto,
  PriceVersionViewDto,
  ReratingViewDto,
} from './billing.dto';
import { invoicesCsv, usageCsv } from './finance.csv';

const CSV_RESPONSE = {
  schema: { type: 'string' },
  description: "RFC 4180 with a header record; text cells that would start a formula get a leading '",
} as const;

/**
 * Every tenant's billing, for finance staff: user tokens holding `finance` or
 * `platform-admin` (never an API key: those act inside one tenant). The caller acts in
 * no tenant and with its platform roles only; the billing service checks them again.
 */
@ApiTags('finance')
@Controller('finance')
@PlatformRoles('finance', 'platform-admin')
export class FinanceController {
  constructor(@Inject(RpcClient) private readonly billing: RpcClient) {}

  @Get('invoices')
  @ApiOperation({ summary: 'Every tenant’s invoices of a month, totals per currency, and their reconciliation' })
  @ApiOkResponse({ type: FinanceInvoicesViewDto })
  invoices(
    @Query() query: PeriodV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<FinanceInvoicesView> {
    return this.billing.request(BILLING.financeInvoices, { period: query.period }, platformMeta(user, meta));
  }

  @Get('invoices.csv')
  @ApiOperation({
    summary: 'The invoices of a month as CSV: one record per invoice line',
    description:
      'Columns: period, tenantId, invoiceId, currency, unit, planId, priceVersion, quantity, unitPrice, amount. ' +
      'An invoice without lines is one record with empty line columns and its total as amount. No totals rows.',
  })
  @ApiProduces(CSV_CONTENT_TYPE)
  @ApiOkResponse(CSV_RESPONSE)
  async invoicesAsCsv(
    @Query() query: PeriodV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const view = await this.invoices(query, user, meta);
    csvDownload(reply, `invoices-${query.period}.csv`);
    return invoicesCsv(view);
  }

  @Get('usage')
  @ApiOperation({ summary: 'Every tenant’s metered usage of a month, and what it rates to' })
  @ApiOkResponse({ type: FinanceUsageViewDto })
  usage(
    @Query() query: PeriodV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<FinanceUsageView> {
    return this.billing.request(BILLING.financeUsage, { period: query.period }, platformMeta(user, meta));
  }

  @Get('usage.csv')
  @ApiOperation({
    summary: 'The usage of a month as CSV: one record per tenant',
    description:
      'Columns: period, tenantId, currency, containerHours, vcpuHours, memoryGbHours, volumeGbMonths, ' +
      'imageStorageGbMonths, charge. No totals rows.',
  })
  @ApiProduces(CSV_CONTENT_TYPE)
  @ApiOkResponse(CSV_RESPONSE)
  async usageAsCsv(
    @Query() query: PeriodV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const view = await this.usage(query, user, meta);
    csvDownload(reply, `usage-${query.period}.csv`);
    return usageCsv(view);
  }

  @Get('prices')
  @ApiOperation({ summary: 'Every plan’s price versions' })
  @ApiOkResponse({ type: [PriceBookViewDto] })
  prices(@CallingUser() user: UserPrincipal, @Caller() meta: RequestMeta): Promise<PriceBookView[]> {
    return this.billing.request(BILLING.listPrices, {}, platformMeta(user, meta));
  }

  @Post('prices')
  @ApiOperation({ summary: 'A new price version of a plan, in force from effectiveFrom (after the last version’s)' })
  @ApiCreatedResponse({ type: PriceVersionViewDto })
  definePrices(
    @Body() body: DefinePricesV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<PriceVersionView> {
    return this.billing.request(BILLING.definePrices, body, platformMeta(user, meta));
  }

  @Post('periods/:period/reratings')
  @ApiOperation({
    summary: 'Price a month’s issued invoices anew with the price book as it is now (the invoices stay as issued)',
  })
  @ApiCreatedResponse({ type: ReratingViewDto })
  rerate(
    @Param() params: PeriodV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<ReratingView> {
    return this.billing.request(BILLING.reratePeriod, { period: params.period }, platformMeta(user, meta));
  }

  @Get('periods/:period/reratings')
  @ApiOperation({ summary: 'The re-ratings of a month' })
  @ApiOkResponse({ type: [ReratingViewDto] })
  reratings(
    @Param() params: PeriodV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<ReratingView[]> {
    return this.billing.request(BILLING.listReratings, { period: params.period }, platformMeta(user, meta));
  }
}

/** No tenant, platform roles only — never a tenant role a tenant token holds. */
const platformMeta = (user: UserPrincipal, meta: RequestMeta) =>
  toPlatformRequestMeta(user, meta.correlationId, null, meta.commandId);

/** Headers only once the data is there: an error still answers JSON in the error shape. */
function csvDownload(reply: FastifyReply, filename: string): void {
  void reply.type(CSV_CONTENT_TYPE).header('content-disposition', attachment(filename));
}
