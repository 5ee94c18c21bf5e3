import { type LookupAddress, lookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { CaasError } from '@caas/contracts';
import { type WebhookReach, checkWebhookUrl, hostOf, isAllowedHost, isPrivateAddress } from '../webhook/webhook-url';

export interface SendOutcome {
  /** The receiver's status, null when it never answered. */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/**
 * Resolves like the default lookup, but refuses names that resolve to a private address
 * (unless the host is allowed). It runs inside the connection, so the address checked is
 * the address connected to: a name that changes its answer between a check and the
 * request cannot slip through.
 */
export function guardedLookup(reach: WebhookReach): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return (callback as (error: Error) => void)(error);
      const allowed = isAllowedHost(hostname.toLowerCase(), reach);
      const refused = allowed ? undefined : addresses.find(({ address }) => isPrivateAddress(address));
      if (refused) {
        const reason = new Error(`${hostname} resolves to ${refused.address}, a private address`);
        return (callback as (error: Error) => void)(reason);
      }
      if ((options as { all?: boolean }).all)
        return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      (callback as (e: null, address: string, family: number) => void)(null, first.address, first.family);
    });
  };
}

/**
 * POSTs one delivery. Never throws: a refused URL, a connection error or a timeout is an
 * outcome with `error`; redirects are not followed (a 3xx is not a 2xx).
 */
export function sendWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { readonly timeoutMs: number; readonly reach: WebhookReach },
): Promise<SendOutcome> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendOutcome => ({
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    // The rules again: the allow list may have changed since the webhook was registered.
    target = new URL(checkWebhookUrl(url, options.reach));
  } catch (error) {
    return Promise.resolve(done(null, `url refused: ${error instanceof CaasError ? error.message : String(error)}`));
  }
  return new Promise((resolve) => {
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body).toString() },
        lookup: isAllowedHost(hostOf(target), options.reach) ? undefined : guardedLookup(options.reach),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        // Only the status matters; the body is read and dropped so the socket is freed.
        response.resume();
        response.once('end', () => resolve(done(response.statusCode ?? null, null)));
        response.once('error', (error) => resolve(done(response.statusCode ?? null, error.message)));
      },
    );
    request.once('error', (error: Error & { name: string }) =>
      resolve(done(null, error.name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : error.message)),
    );
    request.end(body);
  });
}
