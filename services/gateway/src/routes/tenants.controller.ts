import { ChangePlanV1, CreateTenantV1, RenameTenantV1, TENANCY, type TenantView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped, UserOnly } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { COMMAND_RESULT_SCHEMA, TenantViewDto } from './dto';

/** The tenants a user belongs to, and creating one (the creator becomes its owner). */
@ApiTags('tenants')
@Controller('tenants')
@UserOnly()
export class TenantsController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant owned by the caller' })
  @ApiCreatedResponse({ schema: COMMAND_RESULT_SCHEMA })
  create(@Body() body: CreateTenantV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.tenancy.request(TENANCY.createTenant, body, meta);
  }

  @Get()
  @ApiOperation({ summary: "The caller's tenants, with the caller's role in each" })
  @ApiOkResponse({ type: [TenantViewDto] })
  listMine(@Caller() meta: RequestMeta): Promise<TenantView[]> {
    return this.tenancy.request(TENANCY.listMyTenants, {}, meta);
  }
}

/** The tenant the credential is scoped to: never named in the path or body. */
@ApiTags('tenant')
@Controller('tenant')
@TenantScoped()
export class TenantController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'The current tenant' })
  @ApiOkResponse({ type: TenantViewDto })
  get(@Caller() meta: RequestMeta): Promise<TenantView> {
    return this.tenancy.request(TENANCY.getTenant, {}, meta);
  }

  @Patch()
  @ApiOperation({ summary: 'Rename the current tenant' })
  @ApiOkResponse({ schema: COMMAND_RESULT_SCHEMA })
  rename(@Body() body: RenameTenantV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.tenancy.request(TENANCY.renameTenant, body, meta);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the current tenant' })
  @ApiNoContentResponse()
  async remove(@Caller() meta: RequestMeta): Promise<void> {
    await this.tenancy.request(TENANCY.deleteTenant, {}, meta);
  }

  @Post('plan')
  @HttpCode(200)
  @ApiOperation({ summary: "Change the current tenant's plan" })
  @ApiOkResponse({ schema: COMMAND_RESULT_SCHEMA })
  changePlan(@Body() body: ChangePlanV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.tenancy.request(TENANCY.changePlan, body, meta);
  }
}
