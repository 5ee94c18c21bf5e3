import { randomUUID } from 'node:crypto';
import { CaasError, invalid } from '@caas/contracts';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Visible ASCII only: the id travels on in NATS headers and log lines, where control characters would break things. */
const VALID = /^[\x21-\x7e]{1,100}$/;

/**
 * The caller's correlation id, or a fresh UUID when it sent none. An invalid one is
 * refused (400) rather than silently replaced, so the caller learns its ids are not
 * being recorded.
 */
export function correlationIdFrom(header: string | string[] | undefined): { id: string; error?: CaasError } {
  if (header === undefined || header === '') return { id: randomUUID() };
  if (typeof header === 'string' && VALID.test(header)) return { id: header };
  return {
    id: randomUUID(),
    error: invalid(
      'X-Correlation-Id',
      'format',
      'X-Correlation-Id must be 1 to 100 visible ASCII characters (one header)',
    ),
  };
}
