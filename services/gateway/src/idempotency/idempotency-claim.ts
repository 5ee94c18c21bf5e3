/** A request's hold on an idempotency key, from the claim until its response is stored. */
export interface IdempotencyClaim {
  readonly scope: string;
  /** The caller's key in clear: it is part of the body's encryption key, never stored. */
  readonly key: string;
  readonly keyDigest: string;
  readonly fingerprint: string;
  /** Sent to services with the request (RequestMeta.commandId): the same on every retry of it. */
  readonly commandId: string;
}
