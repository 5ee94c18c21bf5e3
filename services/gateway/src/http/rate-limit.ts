import { CaasError } from '@caas/contracts';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { rateLimitSubject } from '../auth/principal';

export interface RateLimitOptions {
  readonly max: number;
  readonly windowMs: number;
}

/**
 * Per tenant (or per user / client IP without one), counted in this process. After
 * the authentication hook (the key needs the tenant) and before the body is parsed.
 * Refused credentials count against the client IP, so guessing keys is limited too.
 * Several gateway instances each allow `max`: a shared store (Redis) would make it global.
 */
export async function registerRateLimit(app: NestFastifyApplication, options: RateLimitOptions): Promise<void> {
  // Awaited before any route exists: the plugin hooks into routes as they are added.
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowMs,
    hook: 'preParsing',
    keyGenerator: (request) => rateLimitSubject(request.authFailure ? null : request.principal, request.ip),
    errorResponseBuilder: (_request, context) =>
      new CaasError('rate_limited', `Rate limit of ${context.max} requests exceeded: retry in ${context.after}`, {
        details: { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1_000) },
      }),
  });
}
