import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createGatewayApp } from './app';
import { configFromEnv } from './config';

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const logger = new Logger('Gateway');
  const config = configFromEnv(process.env, (message) => logger.warn(message));
  const app = await createGatewayApp(config);
  await app.listen(config.port, config.host);
  logger.log(`Listening on http://${config.host}:${config.port} (OpenAPI at /docs)`);

  // Stop accepting connections, let requests in flight finish (their idempotent
  // responses get stored), then close NATS and PostgreSQL. Bounded, so a stuck request
  // cannot keep the process alive forever.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms, exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error(`Shutdown failed: ${error}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  new Logger('Gateway').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
