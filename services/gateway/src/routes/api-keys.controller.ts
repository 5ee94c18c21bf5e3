import { ApiKeyRefV1, CreateApiKeyV1, TENANCY, type ApiKeyView, type CreatedApiKey } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { ApiKeyViewDto, CreatedApiKeyDto } from './dto';

@ApiTags('api-keys')
@Controller('api-keys')
@TenantScoped()
export class ApiKeysController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'API keys of the current tenant (never their secrets)' })
  @ApiOkResponse({ type: [ApiKeyViewDto] })
  list(@Caller() meta: RequestMeta): Promise<ApiKeyView[]> {
    return this.tenancy.request(TENANCY.listApiKeys, {}, meta);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key for the current tenant; its secret is in this answer only' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() body: CreateApiKeyV1, @Caller() meta: RequestMeta): Promise<CreatedApiKey> {
    return this.tenancy.request(TENANCY.createApiKey, body, meta);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (effective within 5 s on every gateway)' })
  @ApiNoContentResponse()
  async revoke(@Param() params: ApiKeyRefV1, @Caller() meta: RequestMeta): Promise<void> {
    await this.tenancy.request(TENANCY.revokeApiKey, { keyId: params.keyId }, meta);
  }
}
