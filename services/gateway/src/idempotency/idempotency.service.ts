import { CaasError } from '@caas/contracts';
import { Logger } from '@nestjs/common';
import type { IdempotencyClaim } from './idempotency-claim';
import type { IdempotencyCrypto } from './idempotency-crypto';
import type { PgIdempotencyStore, StoredResponse } from './idempotency.store';

export type Begun = { readonly claim: IdempotencyClaim } | { readonly replay: StoredResponse };

/** Claims keys before a request runs and stores its answer after, sealed. */
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: PgIdempotencyStore,
    private readonly crypto: IdempotencyCrypto,
  ) {}

  /** The claim to run the request under, or the stored answer; 422/409 when neither. */
  async begin(scope: string, key: string, method: string, url: string, body: unknown): Promise<Begun> {
    const fingerprint = this.crypto.fingerprint(method, url, body);
    const claim: IdempotencyClaim = {
      scope,
      key,
      keyDigest: this.crypto.keyDigest(scope, key),
      fingerprint,
      commandId: this.crypto.commandId(scope, key, fingerprint),
    };
    const result = await this.store.claim(claim.scope, claim.keyDigest, claim.fingerprint);
    switch (result.outcome) {
      case 'claimed':
        return { claim };
      case 'mismatch':
        throw new CaasError(
          'idempotency_mismatch',
          'This Idempotency-Key was used for a different request (method, path or body): use a new key',
        );
      case 'in_flight':
        throw new CaasError('conflict', 'A request with this Idempotency-Key is still in progress: retry later');
      case 'replay':
        return { replay: this.open(claim, result.response) };
    }
  }

  /** Keeps a definite answer (< 500) for replays; gives the key back after a server error. */
  async finish(claim: IdempotencyClaim, status: number, contentType: string | null, payload: unknown): Promise<void> {
    const body = toBuffer(payload);
    if (status >= 500 || body === null) {
      if (body === null) this.logger.warn(`Cannot store a streamed response for replay; key released`);
      await this.store.release(claim.scope, claim.keyDigest, claim.fingerprint);
      return;
    }
    const sealed = this.crypto.seal(claim.scope, claim.key, body);
    await this.store.complete(claim.scope, claim.keyDigest, claim.fingerprint, { status, contentType, body: sealed });
  }

  private open(claim: IdempotencyClaim, stored: StoredResponse): StoredResponse {
    try {
      return { ...stored, body: this.crypto.open(claim.scope, claim.key, stored.body) };
    } catch {
      // Sealed under another secret (JWT_SECRET was changed): the answer is unreadable,
      // and running the request again could do it twice.
      throw new CaasError('conflict', 'The stored response for this Idempotency-Key cannot be replayed: use a new key');
    }
  }
}

function toBuffer(payload: unknown): Buffer | null {
  if (payload === null || payload === undefined) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (Buffer.isBuffer(payload)) return payload;
  return null;
}
