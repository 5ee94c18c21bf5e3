/**
 * What a Docker host can answer, as types the scheduler can act on: an unreachable
 * host is retried or marked down, a missing container is re-created or forgotten, a
 * missing image is a deployment error. Everything else is a `RuntimeError` carrying
 * the engine's own message.
 */
export class RuntimeError extends Error {
  constructor(
    message: string,
    /** The engine's HTTP status, when it answered at all. */
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The engine did not answer: connection refused, socket missing, TLS failure, timeout. */
export class HostUnreachableError extends RuntimeError {
  constructor(
    readonly endpoint: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Docker host ${endpoint} is unreachable: ${reason}`, undefined, options);
  }
}

export class ContainerNotFoundError extends RuntimeError {
  constructor(
    /** The engine id or name that was asked for. */
    readonly container: string,
    options?: { cause?: unknown },
  ) {
    super(`No such container: ${container}`, 404, options);
  }
}

/** The image is not on the host. The driver never pulls: images arrive through the platform's registry. */
export class ImageNotFoundError extends RuntimeError {
  constructor(
    readonly image: string,
    options?: { cause?: unknown },
  ) {
    super(`No such image on this host: ${image}`, 404, options);
  }
}

/** The engine could not pull or push an image: the registry refused (denied, not found) or failed. */
export class ImageTransferError extends RuntimeError {
  constructor(
    readonly image: string,
    reason: string,
    options?: { cause?: unknown; action?: 'pull' | 'push' },
  ) {
    super(`Could not ${options?.action ?? 'pull'} ${image}: ${reason}`, 502, options);
  }
}
