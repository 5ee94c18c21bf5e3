import { InvalidArgumentError, StreamDeletedError, WrongExpectedVersionError } from '../errors';
import type { ExpectedRevision } from '../types';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

/** Turns the SQLSTATEs raised by es.append / es.delete_stream into the port's errors. */
export function mapPgError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  const { code, detail } = error as PgError;
  switch (code) {
    case 'ES409':
      return new WrongExpectedVersionError(
        stream,
        expected,
        detail === 'no_stream' || detail === undefined ? 'no_stream' : BigInt(detail),
      );
    case 'ES410':
      return new StreamDeletedError(stream);
    case '22P02': // invalid_text_representation: a malformed uuid slipped past validation
      return new InvalidArgumentError((error as PgError).message ?? 'invalid input');
    default:
      return error;
  }
}

const TRANSIENT_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** A dropped or refused connection: worth reconnecting, unlike a bad query. */
export function isTransientPgError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as PgError;
  if (code && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection error|not queryable|Client was closed/i.test(message ?? '');
}

export function isDuplicateEventId(error: unknown): boolean {
  const { code, constraint } = error as PgError;
  return code === '23505' && constraint === 'events_stream_id_event_id_key';
}
