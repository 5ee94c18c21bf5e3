import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { IdempotencyService } from './idempotency.service';

const logger = new Logger('Idempotency');

/**
 * Stores each claimed request's answer as it is sent. A failure to store is logged and
 * the answer still goes out: the work is done, and the claim expires by itself.
 */
export function registerIdempotencyCompletion(fastify: FastifyInstance, idempotency: IdempotencyService): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    const contentType = reply.getHeader('content-type');
    try {
      await idempotency.finish(claim, reply.statusCode, typeof contentType === 'string' ? contentType : null, payload);
    } catch (error) {
      logger.error(`[${request.correlationId}] could not store the idempotent response: ${String(error)}`);
    }
    return payload;
  });
}
