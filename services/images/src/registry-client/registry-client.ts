import { type BearerMinter, RegistryAuth, type RegistryCredentials } from './registry-auth';
import { registryErrorFrom } from './registry-error';
import { scopes } from './registry-scopes';
import { MANIFEST_MEDIA_TYPES, isDigest, manifestMediaType, matchesDigest, sha256Digest } from './manifest';

export interface RegistryClientOptions {
  /** The registry's base, e.g. `http://127.0.0.1:55000`. */
  readonly url: string;
  /** For Basic challenges, and for the token realm of Bearer ones. */
  readonly credentials?: RegistryCredentials;
  /** Answers Bearer challenges with a token we mint ourselves, instead of asking the realm. */
  readonly bearer?: BearerMinter;
  /** Per request, body included (default 60 s). */
  readonly timeoutMs?: number;
}

export interface FetchedManifest {
  readonly mediaType: string;
  readonly digest: string;
  readonly body: Buffer;
}

interface SendOptions {
  readonly scopes: readonly string[];
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  /** False: a 401 is returned as is, without asking for new credentials (best-effort calls). */
  readonly retryOnChallenge?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const ACCEPT_MANIFESTS = MANIFEST_MEDIA_TYPES.join(', ');

export { RegistryError } from './registry-error';

/** A client of the Docker Registry HTTP API v2 (the distribution spec). */
export class RegistryClient {
  /** The registry's origin, without a trailing slash: two clients with the same url reach the same registry. */
  readonly url: string;
  private readonly auth: RegistryAuth;
  private readonly timeoutMs: number;

  constructor(options: RegistryClientOptions) {
    this.url = new URL(options.url).origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.auth = new RegistryAuth({
      credentials: options.credentials,
      bearer: options.bearer,
      timeoutMs: this.timeoutMs,
    });
  }

  /** Resolves when the registry speaks v2 and accepts our credentials. */
  async ping(): Promise<void> {
    const response = await this.send('GET', '/v2/', { scopes: [] });
    await this.expect(response, 'GET /v2/', [200]);
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const path = `/v2/${repository}/manifests/${reference}`;
    const response = await this.send('GET', path, {
      scopes: scopes.pull(repository),
      headers: { Accept: ACCEPT_MANIFESTS },
    });
    await this.expect(response, `GET ${path}`, [200]);
    const body = Buffer.from(await response.arrayBuffer());
    if (isDigest(reference) && !matchesDigest(body, reference)) {
      throw new Error(`GET ${path}: the manifest does not match its digest`);
    }
    return {
      mediaType: manifestMediaType(response.headers.get('content-type'), body),
      digest: isDigest(reference) ? reference : (response.headers.get('docker-content-digest') ?? sha256Digest(body)),
      body,
    };
  }

  /** The manifest's digest, or undefined when the repository has no such tag or digest. */
  async manifestExists(repository: string, reference: string): Promise<string | undefined> {
    const path = `/v2/${repository}/manifests/${reference}`;
    const response = await this.send('HEAD', path, {
      scopes: scopes.pull(repository),
      headers: { Accept: ACCEPT_MANIFESTS },
    });
    if (response.status === 404) return undefined;
    await this.expect(response, `HEAD ${path}`, [200]);
    // The header is optional in the spec (distribution always sends it); the body is the fallback.
    return response.headers.get('docker-content-digest') ?? (await this.getManifest(repository, reference)).digest;
  }

  /** Stores the manifest under `reference` (a tag or its digest); returns its digest. */
  async putManifest(repository: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
    const path = `/v2/${repository}/manifests/${reference}`;
    const response = await this.send('PUT', path, {
      scopes: scopes.push(repository),
      headers: { 'Content-Type': mediaType },
      body,
    });
    await this.expect(response, `PUT ${path}`, [201]);
    return response.headers.get('docker-content-digest') ?? sha256Digest(body);
  }

  /** Deletes the manifest and with it every tag on it; a RegistryError 404 when there is none. */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    const path = `/v2/${repository}/manifests/${digest}`;
    const response = await this.send('DELETE', path, { scopes: scopes.delete(repository) });
    await this.expect(response, `DELETE ${path}`, [202]);
  }

  /** Every tag, following the `Link` header's pages; `pageSize` asks the registry for pages of that size. */
  async listTags(repository: string, options: { pageSize?: number } = {}): Promise<string[]> {
    const tags: string[] = [];
    let next: URL | undefined = new URL(`/v2/${repository}/tags/list`, this.url);
    if (options.pageSize) next.searchParams.set('n', String(options.pageSize));
    while (next) {
      const response = await this.send('GET', next, { scopes: scopes.pull(repository) });
      await this.expect(response, `GET ${next.pathname}`, [200]);
      const page = (await response.json()) as { tags?: string[] | null };
      tags.push(...(page.tags ?? []));
      next = nextPage(response.headers.get('link'), next);
    }
    return tags;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const path = `/v2/${repository}/blobs/${digest}`;
    const response = await this.send('HEAD', path, { scopes: scopes.pull(repository) });
    if (response.status === 404) return false;
    await this.expect(response, `HEAD ${path}`, [200]);
    return true;
  }

  /**
   * The whole blob in memory: the platform's images are small (busybox-sized rootfs
   * layers), so a Buffer is simpler than streaming, and the digest is checked before
   * anyone uses it. Redirects (to a storage backend) are followed.
   */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const path = `/v2/${repository}/blobs/${digest}`;
    const response = await this.send('GET', path, { scopes: scopes.pull(repository) });
    await this.expect(response, `GET ${path}`, [200]);
    const content = Buffer.from(await response.arrayBuffer());
    if (!matchesDigest(content, digest)) throw new Error(`GET ${path}: the blob does not match its digest`);
    return content;
  }

  /** Uploads the blob in one PUT (a monolithic upload), unless the repository has it already. */
  async pushBlob(repository: string, digest: string, content: Buffer): Promise<void> {
    if (!matchesDigest(content, digest))
      throw new Error(`pushBlob ${repository}: the content does not match ${digest}`);
    if (await this.blobExists(repository, digest)) return;
    const start = `/v2/${repository}/blobs/uploads/`;
    const started = await this.send('POST', start, { scopes: scopes.push(repository) });
    await this.expect(started, `POST ${start}`, [202]);
    const upload = this.uploadUrl(started, `POST ${start}`);
    upload.searchParams.set('digest', digest);
    const done = await this.send('PUT', upload, {
      scopes: scopes.push(repository),
      headers: { 'Content-Type': 'application/octet-stream' },
      body: content,
    });
    await this.expect(done, `PUT ${upload.pathname}`, [201]);
  }

  /**
   * Links a blob of `fromRepository` (same registry) into `repository` without copying
   * its bytes. False when the registry would not (no such blob, or no pull right on
   * `fromRepository`): it then opened an upload instead, which is cancelled.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const start = new URL(`/v2/${repository}/blobs/uploads/`, this.url);
    start.searchParams.set('mount', digest);
    start.searchParams.set('from', fromRepository);
    const mountScopes = scopes.mount(repository, fromRepository);
    const response = await this.send('POST', start, { scopes: mountScopes });
    await this.expect(response, `POST ${start.pathname}?mount`, [201, 202]);
    if (response.status === 201) return true;
    await this.cancelUpload(this.uploadUrl(response, `POST ${start.pathname}?mount`), mountScopes);
    return false;
  }

  /**
   * Best effort: the registry wants `delete` on the repository to cancel an upload, which
   * a pusher may lack; an upload left open is purged by the registry after a while anyway.
   * Hence the token we hold already (`held`), not a realm round trip for one with `delete`.
   */
  private async cancelUpload(upload: URL, held: readonly string[]): Promise<void> {
    try {
      const response = await this.send('DELETE', upload, { scopes: held, retryOnChallenge: false });
      await response.arrayBuffer();
    } catch {
      // see above: nothing depends on the cancel
    }
  }

  /** The upload session's URL: Location is relative or absolute and carries the session's state as a query. */
  private uploadUrl(response: Response, what: string): URL {
    const location = response.headers.get('location');
    if (!location) throw new Error(`${what}: ${response.status} without a Location`);
    return new URL(location, this.url);
  }

  /** Throws a RegistryError (body consumed) unless the status is one of `ok`. */
  private async expect(response: Response, what: string, ok: readonly number[]): Promise<void> {
    if (!ok.includes(response.status)) throw await registryErrorFrom(what, response);
  }

  /** One request, authenticated as the registry last asked; on a 401, answered once with fresh credentials. */
  private async send(method: string, target: string | URL, options: SendOptions): Promise<Response> {
    const url = new URL(target, this.url);
    let authorization = await this.auth.authorization(options.scopes);
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: { ...options.headers, ...(authorization ? { Authorization: authorization } : {}) },
        body: options.body,
        redirect: 'follow',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.status !== 401 || attempt > 1 || options.retryOnChallenge === false) return response;
      const retry = await this.auth.answer(response.headers.get('www-authenticate'), options.scopes, authorization);
      if (!retry) return response;
      // free the connection before the retry
      await response.arrayBuffer().catch(() => undefined);
      authorization = retry;
    }
  }
}

/** The `rel="next"` target of a Link header (RFC 8288), resolved against the page it came with. */
function nextPage(link: string | null, current: URL): URL | undefined {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '');
  return match ? new URL(match[1], current) : undefined;
}
