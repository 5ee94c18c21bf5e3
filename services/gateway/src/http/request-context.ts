import type { CaasError } from '@caas/contracts';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../auth/principal';
import type { IdempotencyClaim } from '../idempotency/idempotency-claim';

/**
 * What the gateway's fastify hooks learn about a request, for the Nest guards,
 * interceptors and handlers that run after them (they see the same request object).
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** Validated X-Correlation-Id, or a generated UUID (also `request.id`). */
    correlationId: string;
    /** Null when the request carries no credential. */
    principal: Principal | null;
    /**
     * Why the presented credential was refused. Kept rather than thrown at once, so the
     * rate limiter counts failed attempts (against the client IP) before the access
     * guard answers them.
     */
    authFailure: CaasError | null;
    /** Set once this request holds an idempotency key; the response is stored under it. */
    idempotency: IdempotencyClaim | null;
  }
}

export function decorateRequests(fastify: FastifyInstance): void {
  fastify.decorateRequest('correlationId', '');
  fastify.decorateRequest('principal', null);
  fastify.decorateRequest('authFailure', null);
  fastify.decorateRequest('idempotency', null);
}
