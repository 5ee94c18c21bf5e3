import { delay } from '@caas/event-store';

/**
 * Runs `round` again `intervalMs` after each one ends, until stopped. A failed round is
 * reported and the next one runs anyway: the work is in tables, so a later round picks
 * up whatever this one left.
 */
export class PollingLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Aborted once `stop` is called: a long round checks it between steps. */
  get stopped(): AbortSignal {
    return this.abort.signal;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the wait at once and lets the round in progress finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.round();
      } catch (error) {
        this.onError(error);
      }
      await delay(this.intervalMs, this.abort.signal);
    }
  }
}
