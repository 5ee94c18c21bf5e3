import {
  MONITORING_WEBHOOKS,
  RegisterWebhookV1,
  WebhookRefV1,
  type WebhookDeliveryView,
  type WebhookRedeliveryView,
  type WebhookView,
  type WebhookWithSecretView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import {
  ListWebhookDeliveriesQuery,
  RequestWebhookRedeliveryBody,
  UpdateWebhookBody,
  WebhookDeliveryDto,
  WebhookRedeliveryDto,
  WebhookViewDto,
  WebhookWithSecretDto,
} from './webhooks.dto';

/**
 * The tenant's webhooks: its events POSTed, signed, to its own endpoints (docs/webhooks.md).
 * Owners and admins (or an API key with either role) manage them, every member reads;
 * the monitoring service decides.
 */
@ApiTags('webhooks')
@Controller('webhooks')
@TenantScoped()
export class WebhooksController {
  constructor(@Inject(RpcClient) private readonly monitoring: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint for the tenant’s events of some types; answers its secret once' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  register(@Body() body: RegisterWebhookV1, @Caller() meta: RequestMeta): Promise<WebhookWithSecretView> {
    return this.monitoring.request(MONITORING_WEBHOOKS.register, body, meta);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s webhooks' })
  @ApiOkResponse({ type: [WebhookViewDto] })
  list(@Caller() meta: RequestMeta): Promise<WebhookView[]> {
    return this.monitoring.request(MONITORING_WEBHOOKS.list, {}, meta);
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One webhook' })
  @ApiOkResponse({ type: WebhookViewDto })
  get(@Param() params: WebhookRefV1, @Caller() meta: RequestMeta): Promise<WebhookView> {
    return this.monitoring.request(MONITORING_WEBHOOKS.get, params, meta);
  }

  @Patch(':webhookId')
  @ApiOperation({ summary: 'Change its URL, event types, description, or enable/disable it' })
  @ApiOkResponse({ type: WebhookViewDto })
  update(
    @Param() params: WebhookRefV1,
    @Body() body: UpdateWebhookBody,
    @Caller() meta: RequestMeta,
  ): Promise<WebhookView> {
    return this.monitoring.request(MONITORING_WEBHOOKS.update, { ...body, webhookId: params.webhookId }, meta);
  }

  @Delete(':webhookId')
  @ApiOperation({ summary: 'Remove it: nothing more is sent' })
  @ApiOkResponse({ schema: { type: 'object', properties: { webhookId: { type: 'string', format: 'uuid' } } } })
  remove(@Param() params: WebhookRefV1, @Caller() meta: RequestMeta): Promise<{ webhookId: string }> {
    return this.monitoring.request(MONITORING_WEBHOOKS.remove, params, meta);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret, answered once; the next attempt is signed with it' })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  rotateSecret(@Param() params: WebhookRefV1, @Caller() meta: RequestMeta): Promise<WebhookWithSecretView> {
    return this.monitoring.request(MONITORING_WEBHOOKS.rotateSecret, params, meta);
  }

  @Post(':webhookId/redeliveries')
  @ApiOperation({ summary: 'Send again the matching events from a sequence on, up to the latest now' })
  @ApiCreatedResponse({ type: WebhookRedeliveryDto })
  redeliver(
    @Param() params: WebhookRefV1,
    @Body() body: RequestWebhookRedeliveryBody,
    @Caller() meta: RequestMeta,
  ): Promise<WebhookRedeliveryView> {
    return this.monitoring.request(
      MONITORING_WEBHOOKS.requestRedelivery,
      { ...body, webhookId: params.webhookId },
      meta,
    );
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'Its deliveries, newest first, each with every attempt (status or error, duration)' })
  @ApiOkResponse({ type: [WebhookDeliveryDto] })
  deliveries(
    @Param() params: WebhookRefV1,
    @Query() query: ListWebhookDeliveriesQuery,
    @Caller() meta: RequestMeta,
  ): Promise<WebhookDeliveryView[]> {
    return this.monitoring.request(MONITORING_WEBHOOKS.listDeliveries, { ...query, webhookId: params.webhookId }, meta);
  }
}
