import {
  CONTAINER_DEFAULTS,
  ContainerLogsV1,
  FollowContainerLogsV1,
  SCHEDULING,
  invalid,
  type ContainerLogsView,
  type LogFollowStarted,
  type LogLineView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import { Controller, Inject, Logger, type OnApplicationShutdown, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { NatsConnection } from 'nats';
import type { ContainerLogSource } from './container-log-source';
import { LogFollowSession } from './log-follow-session';
import { CONTAINER_LOG_SOURCE, LOGS_NATS_CONNECTION } from './logs.tokens';

@Controller()
@UseFilters(RpcErrorFilter)
export class ContainerLogsHandlers implements OnApplicationShutdown {
  private readonly logger = new Logger('ContainerLogsHandlers');
  private readonly sessions = new Set<LogFollowSession>();

  constructor(
    @Inject(CONTAINER_LOG_SOURCE) private readonly source: ContainerLogSource,
    @Inject(LOGS_NATS_CONNECTION) private readonly nats: NatsConnection,
  ) {}

  /** The last `tail` lines, stdout and stderr in the order the engine recorded them. */
  @MessagePattern(SCHEDULING.containerLogs)
  async containerLogs(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ContainerLogsView> {
    const tenantId = readerTenant(meta);
    const query = await validated(ContainerLogsV1, payload);
    if (query.follow) {
      throw invalid(
        'follow',
        'followContainerLogs',
        `A followed log is streamed: use ${SCHEDULING.followContainerLogs}`,
      );
    }
    const tail = query.tail ?? CONTAINER_DEFAULTS.logTail;
    const log = await this.source.open(tenantId, query.containerId, { tail, follow: false }, neverAborted());
    const lines: LogLineView[] = [];
    for await (const line of log) lines.push(line);
    return { containerId: query.containerId, lines };
  }

  /**
   * Answers `{ ok: true }` once the log is open and the session listens for keepalives
   * and cancel; the lines follow on the caller's inbox (LOG_FOLLOW). A container the
   * caller may not see is an ordinary `not_found` answer, and nothing is streamed.
   */
  @MessagePattern(SCHEDULING.followContainerLogs)
  async followContainerLogs(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<LogFollowStarted> {
    const tenantId = readerTenant(meta);
    const request = await validated(FollowContainerLogsV1, payload);
    const session = new LogFollowSession(this.nats, this.source, {
      tenantId,
      containerId: request.containerId,
      tail: request.tail ?? CONTAINER_DEFAULTS.logTail,
      inbox: request.inbox,
    });
    await session.open();
    this.sessions.add(session);
    // run() never rejects: every way it stops ends in an `end` message and a reason.
    void session.run().then((reason) => {
      this.sessions.delete(session);
      this.logger.debug(`[${meta.correlationId}] log of ${request.containerId} ended: ${reason}`);
    });
    return { ok: true };
  }

  /** Callers get an `end` rather than silence when this instance goes away. */
  onApplicationShutdown(): void {
    for (const session of this.sessions) session.stop('the scheduling service is shutting down');
  }
}

function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
