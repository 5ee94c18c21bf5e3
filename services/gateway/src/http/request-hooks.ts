import { CaasError } from '@caas/contracts';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { parseAuthorization } from '../auth/credentials';
import { CORRELATION_HEADER, correlationIdFrom } from './correlation';

/**
 * Routes that read their own Authorization header: the registry's token realm (Basic
 * credentials, as `docker login` sends them) and its notifications (a shared secret).
 */
const SELF_AUTHENTICATED_PREFIX = '/v1/registry/';

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
    if (request.url.startsWith(SELF_AUTHENTICATED_PREFIX)) {
      request.principal = null;
      return;
    }
    try {
      const credential = parseAuthorization(request.headers.authorization);
      request.principal = credential ? await authenticator.authenticate(credential, correlation.id) : null;
    } catch (error) {
      if (!(error instanceof CaasError)) throw error;
      request.authFailure = error;
    }
  });
}
