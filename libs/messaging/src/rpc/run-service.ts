import { Logger } from '@nestjs/common';

/**
 * A service process's main: starts it, and on SIGTERM or SIGINT closes it (requests in
 * flight answer first) and exits 0, or 1 when closing fails. A start that fails exits 1.
 */
export function runService(name: string, start: () => Promise<{ close(): Promise<void> }>): void {
  const logger = new Logger(name);
  start().then(
    (running) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.log(`${signal} received, shutting down`);
        running.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error(error instanceof Error ? error.stack : String(error));
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
