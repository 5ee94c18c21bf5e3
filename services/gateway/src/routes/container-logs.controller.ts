import type { Readable } from 'node:stream';
import { CONTAINER_DEFAULTS, ContainerRefV1, SCHEDULING, type ContainerLogsView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { LogFollower } from '../logs/log-follower';
import { ContainerLogsQuery, ContainerLogsViewDto } from './scheduling.dto';

export const NDJSON = 'application/x-ndjson';

@ApiTags('containers')
@Controller('containers')
@TenantScoped()
export class ContainerLogsController {
  constructor(
    @Inject(RpcClient) private readonly scheduling: RpcClient,
    @Inject(LogFollower) private readonly follower: LogFollower,
  ) {}

  @Get(':containerId/logs')
  @ApiOperation({
    summary: "A container's log: the last `tail` lines, or with follow=true a stream",
    description:
      `follow=false answers ContainerLogsView (JSON). follow=true answers ${NDJSON}: one ` +
      '{"stream","at","line"} object per line, sent as it is written, until the container stops ' +
      '(the response then ends) or the client disconnects. An unknown container is 404 either way, ' +
      'before anything is streamed.',
  })
  @ApiProduces('application/json', NDJSON)
  @ApiOkResponse({ type: ContainerLogsViewDto, description: `JSON, or ${NDJSON} lines of LogLineView with follow` })
  async logs(
    @Param() params: ContainerRefV1,
    @Query() query: ContainerLogsQuery,
    @Caller() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContainerLogsView | Readable> {
    const request = { containerId: params.containerId, tail: query.tail ?? CONTAINER_DEFAULTS.logTail };
    if (!query.follow) return this.scheduling.request(SCHEDULING.containerLogs, request, meta);
    const lines = await this.follower.follow(request, meta);
    // Fastify pipes the stream to the socket as lines come, and destroys it when the
    // client goes away (which cancels the session).
    void reply.type(NDJSON).header('cache-control', 'no-store');
    return lines;
  }
}
