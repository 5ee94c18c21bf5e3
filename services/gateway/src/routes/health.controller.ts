import { CaasError, TENANCY } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';

/** Readiness: the gateway answers and the services it depends on answer it over NATS. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Ready when every service behind the gateway answers (503 otherwise)' })
  async health(@Caller() meta: RequestMeta): Promise<{ status: 'ok'; services: Record<string, 'up'> }> {
    try {
      await this.tenancy.request(TENANCY.listPlans, {}, meta, 2_000);
    } catch (error) {
      throw new CaasError('unavailable', 'tenancy is not answering', {
        details: { tenancy: error instanceof CaasError ? error.code : 'down' },
      });
    }
    return { status: 'ok', services: { tenancy: 'up' } };
  }
}
