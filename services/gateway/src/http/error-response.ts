import { CaasError, ERROR_STATUS, type ErrorBody, type ErrorCode } from '@caas/contracts';
import { HttpException } from '@nestjs/common';

/** What every error answers: the contract's body plus the request's correlation id. */
export interface HttpErrorBody extends ErrorBody {
  readonly correlationId: string;
}

export interface HttpError {
  readonly status: number;
  readonly body: HttpErrorBody;
}

/**
 * 413 has no code of its own in the contract (ERROR_STATUS is shared with the
 * services, which never see raw bodies): it answers `validation` with HTTP 413.
 */
export const PAYLOAD_TOO_LARGE = 413;

/** HTTP statuses raised by Nest or fastify themselves (404 route, 400 bad JSON, 415…) → contract codes. */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'validation',
  415: 'validation',
  422: 'idempotency_mismatch',
  429: 'rate_limited',
  503: 'unavailable',
  504: 'timeout',
};

/**
 * Turns anything thrown into the status and body the client sees. Only CaasErrors and
 * 4xx HTTP exceptions (whose messages are ours or fastify's) keep their message;
 * everything else is `internal` with a fixed message, so no stack, SQL or NATS detail
 * leaks.
 */
export function toHttpError(error: unknown, correlationId: string): HttpError {
  if (error instanceof CaasError) {
    return { status: ERROR_STATUS[error.code], body: { ...error.toBody(), correlationId } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) {
      return { status, body: { code: 'not_found', message: routeNotFoundMessage(error.message), correlationId } };
    }
    if (status === PAYLOAD_TOO_LARGE) {
      return { status, body: { code: 'validation', message: 'Request body is too large', correlationId } };
    }
    if (status === 415) {
      return {
        status: 400,
        body: { code: 'validation', message: 'Content-Type must be application/json', correlationId },
      };
    }
    const code = CODE_OF_STATUS[status];
    if (code && status < 500) {
      return { status: ERROR_STATUS[code], body: { code, message: error.message, correlationId } };
    }
  }
  return { status: 500, body: { code: 'internal', message: 'Internal error', correlationId } };
}

/** Nest's 404 says "Cannot GET /x"; ours names the route the same way in our own words. */
function routeNotFoundMessage(message: string): string {
  const match = /^Cannot (\S+) (.*)$/.exec(message);
  return match ? `No route ${match[1]} ${match[2]}` : message;
}
