import { invalid } from '@caas/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** A CAAS_EVENTS sequence as the feed's ids carry it: decimal, and exact as a JS number. */
const SEQUENCE = /^\d{1,15}$/;
export const MAX_TYPES = 20;
const TYPE = '[A-Za-z][A-Za-z0-9]{0,99}';
const TYPE_LIST = new RegExp(`^${TYPE}(,${TYPE}){0,${MAX_TYPES - 1}}$`);

export const LAST_EVENT_ID_HEADER = 'last-event-id';

/** GET /v1/events/stream?lastEventId=&types= */
export class EventStreamQuery {
  @ApiPropertyOptional({
    example: '1042',
    description:
      'Resume after this sequence (the `id:` of the last event received). For the first connect of a browser ' +
      'EventSource, which cannot send headers; a Last-Event-ID header wins over it.',
  })
  @IsOptional()
  @Matches(SEQUENCE, { message: 'lastEventId must be a stream sequence: a decimal integer of at most 15 digits' })
  lastEventId?: string;

  @ApiPropertyOptional({
    example: 'EnvironmentCreated,ContainerStarted',
    description: `Only these event types (comma-separated, at most ${MAX_TYPES})`,
  })
  @IsOptional()
  @Matches(TYPE_LIST, {
    message: `types must be a comma-separated list of at most ${MAX_TYPES} event types (a letter, then letters and digits)`,
  })
  types?: string;
}

/** Where the feed starts: after a sequence the client already has, or at events newer than now. */
export type FeedStart = { readonly after: number } | 'new';

/** The header wins: a reconnecting EventSource sends it, with the first connect's query still on the URL. */
export function feedStart(header: string | undefined, query: EventStreamQuery): FeedStart {
  // Browsers send no header for an empty last event id; an empty one means the same.
  if (header !== undefined && header.trim() !== '') {
    if (!SEQUENCE.test(header.trim())) {
      throw invalid(
        'Last-Event-ID',
        'isSequence',
        'Last-Event-ID must be a stream sequence: a decimal integer of at most 15 digits',
      );
    }
    return { after: Number(header.trim()) };
  }
  return query.lastEventId === undefined ? 'new' : { after: Number(query.lastEventId) };
}

export function feedTypes(query: EventStreamQuery): ReadonlySet<string> | undefined {
  return query.types === undefined ? undefined : new Set(query.types.split(','));
}
