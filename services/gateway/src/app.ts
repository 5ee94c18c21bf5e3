import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Authenticator } from './auth/authenticator';
import type { GatewayConfig } from './config';
import { GatewayModule } from './app.module';
import { registerRateLimit } from './http/rate-limit';
import { decorateRequests } from './http/request-context';
import { registerRequestHooks } from './http/request-hooks';
import { REGISTRY_EVENTS_MEDIA_TYPE } from './routes/registry.controller';
import { setUpSwagger } from './http/swagger';
import { registerIdempotencyCompletion } from './idempotency/idempotency.hooks';
import { IdempotencyService } from './idempotency/idempotency.service';

export const API_PREFIX = 'v1';

/**
 * The whole gateway, initialised but not listening: main.ts calls listen(); tests call
 * listen(0) or inject(). Connects to NATS and PostgreSQL (and migrates) on the way.
 */
export async function createGatewayApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Nest logs; fastify's own logger would log every request a second time.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    logger: config.logLevels,
    // Fastify's own JSON parser only: no urlencoded bodies, and text/plain is removed below.
    bodyParser: false,
    // Throw instead of exiting the process, so tests and main.ts see the cause.
    abortOnError: false,
  });
  try {
    app.setGlobalPrefix(API_PREFIX);
    const fastify = app.getHttpAdapter().getInstance();
    fastify.removeContentTypeParser('text/plain');
    // The registry's notifications are JSON under their own media type.
    fastify.addContentTypeParser(REGISTRY_EVENTS_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined);
      }
    });
    decorateRequests(fastify);
    registerRequestHooks(fastify, app.get(Authenticator));
    registerIdempotencyCompletion(fastify, app.get(IdempotencyService));
    await registerRateLimit(app, { max: config.rateLimitPerMinute, windowMs: config.rateLimitWindowMs });
    setUpSwagger(app);
    await app.init();
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
