import {
  MONITORING_DASHBOARD,
  PlatformDashboardQueryV1,
  type PlatformDashboardView,
  type TenantDashboardView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformRoles, TenantScoped } from '../auth/access.decorators';
import { Caller, CallingUser } from '../auth/caller.decorator';
import { toPlatformRequestMeta, type UserPrincipal } from '../auth/principal';

const DASHBOARD_SCHEMA = { type: 'object', additionalProperties: true } as const;

/**
 * Dashboards built by the monitoring service from CAAS_EVENTS. The tenant's is the
 * credential's tenant (any member or API key); the platform's is for platform admins and
 * is sent with their platform roles only, never a tenant role the token holds.
 */
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  constructor(@Inject(RpcClient) private readonly monitoring: RpcClient) {}

  @Get('dashboard')
  @TenantScoped()
  @ApiOperation({
    summary: "The tenant's containers, services and hosts by state, usage against the plan, recent events and cost",
  })
  @ApiOkResponse({ schema: { ...DASHBOARD_SCHEMA, description: 'TenantDashboardView' } })
  tenant(@Caller() meta: RequestMeta): Promise<TenantDashboardView> {
    return this.monitoring.request(MONITORING_DASHBOARD.tenant, {}, meta);
  }

  @Get('admin/dashboard')
  @PlatformRoles('platform-admin')
  @ApiOperation({ summary: 'Every tenant at a glance (platform-admin)' })
  @ApiOkResponse({ schema: { ...DASHBOARD_SCHEMA, description: 'PlatformDashboardView' } })
  platform(
    @Query() query: PlatformDashboardQueryV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<PlatformDashboardView> {
    return this.monitoring.request(
      MONITORING_DASHBOARD.platform,
      query.top === undefined ? {} : { top: query.top },
      toPlatformRequestMeta(user, meta.correlationId, null),
    );
  }
}
