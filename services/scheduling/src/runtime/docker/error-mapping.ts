import { ContainerNotFoundError, HostUnreachableError, ImageNotFoundError, RuntimeError } from './errors';

/** What a failed call was about, so a 404 can name the right thing. */
export interface ErrorSubject {
  readonly container?: string;
  readonly image?: string;
}

/** The shape of docker-modem's errors: a status when the engine answered, a Node error code when it did not. */
interface ModemError {
  readonly message?: string;
  readonly statusCode?: number;
  readonly json?: unknown;
  readonly code?: string;
  readonly name?: string;
}

/**
 * Turns whatever dockerode threw into the driver's typed errors. The rule that decides
 * "unreachable": the engine produced no HTTP status. docker-modem only attaches
 * `statusCode` to answers, so refused connections, missing sockets, TLS failures and
 * our own timeouts (aborts) all land here without one.
 */
export function mapDockerError(error: unknown, endpoint: string, subject: ErrorSubject = {}): Error {
  if (error instanceof RuntimeError) return error;
  const e = (error ?? {}) as ModemError;
  if (typeof e.statusCode !== 'number') {
    if (isTransportError(e)) return new HostUnreachableError(endpoint, transportReason(e), { cause: error });
    // A bug on our side (TypeError, …), not something the engine said: keep it as it is.
    return error instanceof Error ? error : new Error(String(error));
  }
  const message = engineMessage(e);
  if (e.statusCode === 404) {
    if (/no such image/i.test(message))
      return new ImageNotFoundError(subject.image ?? imageFrom(message), { cause: error });
    if (/no such container/i.test(message) && subject.container !== undefined) {
      return new ContainerNotFoundError(subject.container, { cause: error });
    }
  }
  return new RuntimeError(message, e.statusCode, { cause: error });
}

/** The engine's own words: `{"message": "..."}` in the body, else docker-modem's summary. */
export function engineMessage(e: ModemError): string {
  const json = e.json as { message?: unknown } | string | Buffer | null | undefined;
  if (json && typeof json === 'object' && !Buffer.isBuffer(json) && typeof json.message === 'string') {
    return json.message;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  if (Buffer.isBuffer(json) && json.length) return json.toString('utf8').trim();
  return e.message ?? 'unknown engine error';
}

function isTransportError(e: ModemError): boolean {
  return typeof e.code === 'string' || e.name === 'AbortError' || e.name === 'TimeoutError';
}

function transportReason(e: ModemError): string {
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'no answer in time';
  return e.code ? `${e.code} ${e.message ?? ''}`.trim() : (e.message ?? 'connection failed');
}

function imageFrom(message: string): string {
  return /no such image:\s*(\S+)/i.exec(message)?.[1] ?? 'unknown';
}
