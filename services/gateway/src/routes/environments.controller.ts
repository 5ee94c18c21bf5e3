import { CreateEnvironmentV1, EnvironmentRefV1, TENANCY, type EnvironmentView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { COMMAND_RESULT_SCHEMA, EnvironmentViewDto } from './dto';

@ApiTags('environments')
@Controller('environments')
@TenantScoped()
export class EnvironmentsController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Environments of the current tenant' })
  @ApiOkResponse({ type: [EnvironmentViewDto] })
  list(@Caller() meta: RequestMeta): Promise<EnvironmentView[]> {
    return this.tenancy.request(TENANCY.listEnvironments, {}, meta);
  }

  @Post()
  @ApiOperation({ summary: 'Create an environment in the current tenant' })
  @ApiCreatedResponse({ schema: COMMAND_RESULT_SCHEMA })
  create(@Body() body: CreateEnvironmentV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.tenancy.request(TENANCY.createEnvironment, body, meta);
  }

  @Delete(':environmentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an environment of the current tenant' })
  @ApiNoContentResponse()
  async remove(@Param() params: EnvironmentRefV1, @Caller() meta: RequestMeta): Promise<void> {
    await this.tenancy.request(TENANCY.deleteEnvironment, { environmentId: params.environmentId }, meta);
  }
}
