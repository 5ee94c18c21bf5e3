import { CreateEnvironmentV1, EnvironmentRefV1, type EnvironmentView, TENANCY } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { callerOf } from '../shared/caller';
import { newId } from '../shared/new-id';
import { tenantInScope } from '@caas/messaging/src/rpc/tenant-scope';
import { EnvironmentQueries } from './environment.queries';
import { TenantCommands } from './tenant-commands';
import { TenantReader } from './tenant-reader';

@Controller()
@UseFilters(RpcErrorFilter)
export class EnvironmentHandlers {
  constructor(
    private readonly commands: TenantCommands,
    private readonly reader: TenantReader,
    private readonly queries: EnvironmentQueries,
  ) {}

  @MessagePattern(TENANCY.createEnvironment)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ environmentId: string }> {
    const { name } = await validated(CreateEnvironmentV1, payload);
    const tenantId = tenantInScope(meta);
    const environmentId = newId(meta, 'environment');
    await this.commands.run(
      tenantId,
      { kind: 'CreateEnvironment', tenantId, caller: callerOf(meta), environmentId, name },
      meta,
    );
    return { environmentId };
  }

  @MessagePattern(TENANCY.deleteEnvironment)
  async delete(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ environmentId: string }> {
    const { environmentId } = await validated(EnvironmentRefV1, payload);
    const tenantId = tenantInScope(meta);
    await this.commands.run(
      tenantId,
      { kind: 'DeleteEnvironment', tenantId, caller: callerOf(meta), environmentId },
      meta,
    );
    return { environmentId };
  }

  @MessagePattern(TENANCY.listEnvironments)
  async list(@Meta() meta: RequestMeta): Promise<EnvironmentView[]> {
    const { tenantId } = await this.reader.scope(meta);
    return this.queries.list(tenantId);
  }
}
