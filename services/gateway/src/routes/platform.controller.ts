import { ScopeToTenantV1, SuspendTenantV1, TENANCY, type PlanView, type TenantView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, PlatformRoles, TenantScoped } from '../auth/access.decorators';
import { Caller, CallingUser } from '../auth/caller.decorator';
import { toPlatformRequestMeta, type UserPrincipal } from '../auth/principal';
import { COMMAND_RESULT_SCHEMA, PlanViewDto, TenantViewDto } from './dto';

@ApiTags('plans')
@Controller()
export class PlansController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get('plans')
  @Authenticated()
  @ApiOperation({ summary: 'The plans a tenant can choose' })
  @ApiOkResponse({ type: [PlanViewDto] })
  listPlans(@Caller() meta: RequestMeta): Promise<PlanView[]> {
    return this.tenancy.request(TENANCY.listPlans, {}, meta);
  }

  @Get('quotas')
  @TenantScoped()
  @ApiOperation({ summary: "The current tenant's plan and its quotas in force now" })
  @ApiOkResponse({ type: PlanViewDto })
  quotas(@Caller() meta: RequestMeta): Promise<PlanView> {
    return this.tenancy.request(TENANCY.getQuotas, {}, meta);
  }
}

/**
 * Platform staff acting on any tenant. The only routes where a tenant id comes from the
 * path: it is passed to tenancy as RequestMeta.tenantId with only the caller's platform
 * roles (never a tenant role the token holds elsewhere), and tenancy authorises the
 * platform role rather than a membership.
 */
@ApiTags('admin')
@Controller('admin/tenants')
export class AdminController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @PlatformRoles('platform-admin', 'finance')
  @ApiOperation({ summary: 'Every tenant (platform-admin, finance)' })
  @ApiOkResponse({ type: [TenantViewDto] })
  listAll(@CallingUser() user: UserPrincipal, @Caller() meta: RequestMeta): Promise<TenantView[]> {
    return this.tenancy.request(TENANCY.listAllTenants, {}, toPlatformRequestMeta(user, meta.correlationId, null));
  }

  @Post(':tenantId/suspend')
  @HttpCode(200)
  @PlatformRoles('platform-admin')
  @ApiOperation({ summary: 'Suspend a tenant (platform-admin); RequestMeta.tenantId is the path tenant' })
  @ApiOkResponse({ schema: COMMAND_RESULT_SCHEMA })
  suspend(
    @Param() params: ScopeToTenantV1,
    @Body() body: SuspendTenantV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<unknown> {
    const platformMeta = toPlatformRequestMeta(user, meta.correlationId, params.tenantId, meta.commandId);
    return this.tenancy.request(TENANCY.suspendTenant, body, platformMeta);
  }

  @Post(':tenantId/resume')
  @HttpCode(200)
  @PlatformRoles('platform-admin')
  @ApiOperation({ summary: 'Resume a suspended tenant (platform-admin); RequestMeta.tenantId is the path tenant' })
  @ApiOkResponse({ schema: COMMAND_RESULT_SCHEMA })
  resume(
    @Param() params: ScopeToTenantV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<unknown> {
    const platformMeta = toPlatformRequestMeta(user, meta.correlationId, params.tenantId, meta.commandId);
    return this.tenancy.request(TENANCY.resumeTenant, {}, platformMeta);
  }
}
