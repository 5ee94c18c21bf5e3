import { HostRefV1, RegisterHostV1, SCHEDULING, type HostView, type RegisteredHost } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformRoles } from '../auth/access.decorators';
import { Caller, CallingUser } from '../auth/caller.decorator';
import { toPlatformRequestMeta, type UserPrincipal } from '../auth/principal';
import { HostViewDto, RegisteredHostDto, SCHEDULING_RESULT_SCHEMA } from './scheduling.dto';

/**
 * Docker hosts are the platform's, not a tenant's: platform admins only, acting in no
 * tenant and with only their platform roles (the scheduling service checks them again).
 */
@ApiTags('hosts')
@Controller('hosts')
@PlatformRoles('platform-admin')
export class HostsController {
  constructor(@Inject(RpcClient) private readonly scheduling: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Register a Docker engine as a host; its capacity is read from the engine' })
  @ApiCreatedResponse({ type: RegisteredHostDto })
  register(
    @Body() body: RegisterHostV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<RegisteredHost> {
    return this.scheduling.request(SCHEDULING.registerHost, body, platformMeta(user, meta));
  }

  @Get()
  @ApiOperation({ summary: 'Every host, with its status, capacity and what is allocated on it' })
  @ApiOkResponse({ type: [HostViewDto] })
  list(@CallingUser() user: UserPrincipal, @Caller() meta: RequestMeta): Promise<HostView[]> {
    return this.scheduling.request(SCHEDULING.listHosts, {}, platformMeta(user, meta));
  }

  @Get(':hostId')
  @ApiOperation({ summary: 'One host' })
  @ApiOkResponse({ type: HostViewDto })
  get(@Param() params: HostRefV1, @CallingUser() user: UserPrincipal, @Caller() meta: RequestMeta): Promise<HostView> {
    return this.scheduling.request(SCHEDULING.getHost, { hostId: params.hostId }, platformMeta(user, meta));
  }

  @Post(':hostId/drain')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drain a host: nothing new is placed on it, its replicas move elsewhere' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  drain(@Param() params: HostRefV1, @CallingUser() user: UserPrincipal, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.drainHost, { hostId: params.hostId }, platformMeta(user, meta));
  }

  @Delete(':hostId')
  @ApiOperation({ summary: 'Remove a host that is drained (or down) and empty' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  remove(
    @Param() params: HostRefV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.removeHost, { hostId: params.hostId }, platformMeta(user, meta));
  }
}

/** No tenant, platform roles only — never a tenant role the token holds somewhere. */
const platformMeta = (user: UserPrincipal, meta: RequestMeta) =>
  toPlatformRequestMeta(user, meta.correlationId, null, meta.commandId);
