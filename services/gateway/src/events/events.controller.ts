import type { Readable } from 'node:stream';
import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantScoped } from '../auth/access.decorators';
import { EventFeed } from './event-feed';
import { EventStreamQuery, LAST_EVENT_ID_HEADER, feedStart, feedTypes } from './event-stream.query';
import { EVENT_STREAM_MEDIA_TYPE, POSITION_EXPIRED_EVENT } from './sse-frames';

@ApiTags('events')
@Controller('events')
@TenantScoped()
export class EventsController {
  constructor(@Inject(EventFeed) private readonly feed: EventFeed) {}

  @Get('stream')
  @ApiOperation({
    summary: "The tenant's events, live, as server-sent events",
    description:
      'One SSE message per event: `id:` its CAAS_EVENTS sequence, `event:` its type, `data:` the PublicEvent ' +
      'JSON. Resume after a disconnect with the Last-Event-ID header (or `?lastEventId=` on a first connect); ' +
      'without either, only events newer than the connect. Comments keep the connection alive every 15 s and ' +
      'may move the client past other tenants’ events with an `id:` line. When the position asked for is older ' +
      `than the stream retains, a \`${POSITION_EXPIRED_EVENT}\` event comes first and the feed continues from ` +
      'the oldest event still held. Any tenant role may read.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this sequence (wins over the query)',
  })
  @ApiProduces(EVENT_STREAM_MEDIA_TYPE)
  @ApiOkResponse({ description: 'text/event-stream of PublicEvent messages' })
  async stream(
    @Query() query: EventStreamQuery,
    @Headers(LAST_EVENT_ID_HEADER) lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const start = feedStart(lastEventId, query);
    const principal = request.principal!;
    const feed = await this.feed.follow({
      tenantId: principal.tenantId!,
      start,
      types: feedTypes(query),
      endsAt: principal.type === 'user' ? principal.expiresAt * 1_000 : undefined,
    });
    // Fastify pipes the feed to the socket as the socket drains, and destroys it when
    // the client goes away (which deletes its consumer).
    void reply
      .type(EVENT_STREAM_MEDIA_TYPE)
      .header('cache-control', 'no-store')
      // Proxies (nginx) must not hold events back to fill a buffer.
      .header('x-accel-buffering', 'no');
    return feed;
  }
}
