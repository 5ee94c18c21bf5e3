import {
  AUDIT,
  type AuditPage,
  AuditStateV1,
  CaasError,
  ListAuditV1,
  STATE_OWNERS,
  type StateAsOfView,
  invalid,
  stateAsOfPattern,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorators';
import { NEEDS_TENANT_SCOPE_MESSAGE } from '../auth/access';
import { Caller } from '../auth/caller.decorator';
import { AuditPageDto, StateAsOfViewDto } from './audit.dto';

/**
 * Who changed what, when and why: every public event of the tenant, and any of its
 * aggregates as it was at a past time. Any member of the tenant may read them; a
 * platform admin without a tenant in scope reads every tenant's.
 */
@ApiTags('audit')
@Controller('audit')
@Authenticated()
export class AuditController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Every change with its actor, time, command and correlation id, newest first, filtered' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: ListAuditV1, @Caller() meta: RequestMeta): Promise<AuditPage> {
    return this.rpc.request(AUDIT.list, query, scoped(meta));
  }

  @Get('state')
  @ApiOperation({ summary: 'An aggregate’s state as of a time (`?stream=<category>-<id>&at=<ISO 8601>`)' })
  @ApiOkResponse({ type: StateAsOfViewDto })
  state(@Query() query: AuditStateV1, @Caller() meta: RequestMeta): Promise<StateAsOfView> {
    const category = query.stream.slice(0, query.stream.indexOf('-'));
    const owner = Object.hasOwn(STATE_OWNERS, category) ? STATE_OWNERS[category] : undefined;
    if (!owner) throw invalid('stream', 'publicCategory', `The state of '${category}' streams cannot be asked for`);
    return this.rpc.request(stateAsOfPattern(owner), query, scoped(meta));
  }
}

/** A tenant-scoped credential, or a platform admin's user token. */
function scoped(meta: RequestMeta): RequestMeta {
  if (!meta.tenantId && !meta.roles.includes('platform-admin')) {
    throw new CaasError('forbidden', NEEDS_TENANT_SCOPE_MESSAGE);
  }
  return meta;
}
