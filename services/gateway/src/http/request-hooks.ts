import { CaasError } from '@caas/contracts';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { parseAuthorization } from '../auth/credentials';
import { CORRELATION_HEADER, correlationIdFrom } from './correlation';

/**
 * First thing on every request (unknown routes included): the correlation id, echoed
 * in the response, then the caller. They run as fastify hooks, before the rate
 * limiter, because the limit is counted per tenant.
 */
export function registerRequestHooks(fastify: FastifyInstance, authenticator: Authenticator): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const correlation = correlationIdFrom(request.headers[CORRELATION_HEADER]);
    request.correlationId = correlation.id;
    void reply.header(CORRELATION_HEADER, correlation.id);
    if (correlation.error) throw correlation.error;
    try {
      const credential = parseAuthorization(request.headers.authorization);
      request.principal = credential ? await authenticator.authenticate(credential, correlation.id) : null;
    } catch (error) {
      if (!(error instanceof CaasError)) throw error;
      request.authFailure = error;
    }
  });
}
