import type { PublicEvent } from '@caas/contracts';

/*
 * The text/event-stream frames the live feed writes (WHATWG HTML, "Server-sent events").
 * A frame ends with a blank line. A frame with an `id:` but no `data:` moves the
 * client's last event id without firing an event, which is how the feed records
 * progress through other tenants' events (see keepaliveFrame).
 */

export const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';

/** The `event:` of the frame sent when the requested position is older than the stream retains. */
export const POSITION_EXPIRED_EVENT = 'position-expired';

/** Each field value on one line: a CR or LF would start a new field. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

export function eventFrame(event: PublicEvent): string {
  // JSON.stringify escapes newlines inside strings, so the data is one line.
  return `id: ${event.sequence}\nevent: ${oneLine(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function commentFrame(text: string): string {
  return `: ${oneLine(text)}\n\n`;
}

/** A comment that keeps proxies from closing an idle connection; with `position`, also moves the client's last event id. */
export function keepaliveFrame(position?: number): string {
  return position === undefined ? commentFrame('keepalive') : `: keepalive\nid: ${position}\n\n`;
}

/** Moves the client's last event id to `position` without an event (the feed's start when none was asked for). */
export function positionFrame(position: number, comment: string): string {
  return `: ${oneLine(comment)}\nid: ${position}\n\n`;
}

export interface PositionExpired {
  /** The position the client asked to resume after. */
  readonly lastEventId: number;
  /** The oldest sequence CAAS_EVENTS still holds: the feed continues from there. */
  readonly firstRetainedSequence: number;
}

/** No `id:`: the client's position stays what it asked for until a real event moves it. */
export function positionExpiredFrame(expired: PositionExpired): string {
  return `event: ${POSITION_EXPIRED_EVENT}\ndata: ${JSON.stringify(expired)}\n\n`;
}
