import { invalid } from '@caas/contracts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header: null when absent, else 1–255 visible ASCII characters (else 400). */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header === 'string' && VALID_KEY.test(header)) return header;
  throw invalid('Idempotency-Key', 'format', 'Idempotency-Key must be 1 to 255 visible ASCII characters (one header)');
}

/**
 * JSON with object keys sorted at every level, so that two bodies meaning the same
 * thing (keys in another order, other whitespace) count as the same request.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
