import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PrivateRegistry, type TokenSigningKey, createTokenSigningKey, startPrivateRegistry } from '@caas/testing';
import { parseScope } from '../registry/registry-scope';
import { RegistryTokenSigner } from '../registry/registry-token.signer';
import { DOCKER_MANIFEST_V2, OCI_MANIFEST, parseManifest, sha256Digest } from './manifest';
import { RegistryClient } from './registry-client';
import { RegistryError } from './registry-error';
import { dockerHosts, pushBusybox } from './testing/docker-cli';
import { logMark, registryRequests } from './testing/registry-requests';
import { type TokenRealm, startTokenRealm } from './testing/token-realm';

const SERVICE = 'caas-registry';
const ISSUER = 'caas-images';
const MIRROR = { username: 'mirror', password: 'pa ss:word' };

/** Rejects with the RegistryError, so a spec can look at its status and code. */
async function registryError(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

/** A small image of random content, pushed with the client: config and one layer. */
async function pushRandomImage(client: RegistryClient, repository: string, tag: string) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: Math.random() }));
  const layer = Buffer.from(`layer ${Math.random()}`);
  await client.pushBlob(repository, sha256Digest(config), config);
  await client.pushBlob(repository, sha256Digest(layer), layer);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256Digest(config),
        size: config.length,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256Digest(layer), size: layer.length },
      ],
    }),
  );
  const digest = await client.putManifest(repository, tag, OCI_MANIFEST, body);
  return { digest, body, config, layer };
}

describe('RegistryClient without auth', () => {
  let registry: PrivateRegistry;
  let client: RegistryClient;
  let pushedDigest: string;

  beforeAll(async () => {
    registry = await startPrivateRegistry();
    client = new RegistryClient({ url: registry.url });
    pushedDigest = await pushBusybox(dockerHosts()[0], `${registry.host}/src/busybox:1`);
  });
  afterAll(() => registry?.stop());

  it('pings', async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it('gets the manifest docker pushed, by tag and by digest, and every blob it names', async () => {
    const manifest = await client.getManifest('src/busybox', '1');
    expect(manifest.mediaType).toBe(DOCKER_MANIFEST_V2);
    expect(manifest.digest).toBe(pushedDigest);
    expect(sha256Digest(manifest.body)).toBe(pushedDigest);
    expect(await client.manifestExists('src/busybox', '1')).toBe(pushedDigest);

    const byDigest = await client.getManifest('src/busybox', pushedDigest);
    expect(byDigest).toEqual(manifest);

    const parsed = parseManifest(manifest.mediaType, manifest.body);
    if (parsed.kind !== 'image') throw new Error('expected an image manifest');
    expect(parsed.blobs.length).toBeGreaterThanOrEqual(2);
    for (const blob of parsed.blobs) {
      expect(await client.blobExists('src/busybox', blob.digest)).toBe(true);
      const content = await client.getBlob('src/busybox', blob.digest);
      expect(sha256Digest(content)).toBe(blob.digest);
      expect(content.length).toBe(blob.size);
    }
  });

  it('says what is missing: HEADs answer no, GETs throw with the registry’s code', async () => {
    const unknown = sha256Digest(Buffer.from('nowhere'));
    expect(await client.manifestExists('src/busybox', 'nope')).toBeUndefined();
    expect(await client.blobExists('src/busybox', unknown)).toBe(false);
    expect(await registryError(client.getManifest('src/busybox', 'nope'))).toMatchObject({
      status: 404,
      code: 'MANIFEST_UNKNOWN',
    });
    expect(await registryError(client.getBlob('src/busybox', unknown))).toMatchObject({
      status: 404,
      code: 'BLOB_UNKNOWN',
    });
    expect(await registryError(client.listTags('no/such'))).toMatchObject({ status: 404, code: 'NAME_UNKNOWN' });
  });

  it('pushes blobs and a manifest that read back byte for byte; a blob already there is not uploaded again', async () => {
    const pushed = await pushRandomImage(client, 'rt/image', 'v1');
    expect(pushed.digest).toBe(sha256Digest(pushed.body));
    const fetched = await client.getManifest('rt/image', 'v1');
    expect(fetched).toEqual({ mediaType: OCI_MANIFEST, digest: pushed.digest, body: pushed.body });
    expect(await client.getBlob('rt/image', sha256Digest(pushed.layer))).toEqual(pushed.layer);

    const mark = await logMark(registry);
    await client.pushBlob('rt/image', sha256Digest(pushed.layer), pushed.layer);
    expect((await registryRequests(registry, mark)).map((request) => request.method)).toEqual(['HEAD']);

    await expect(client.pushBlob('rt/image', sha256Digest(Buffer.from('other')), pushed.layer)).rejects.toThrow(
      /does not match/,
    );
  });

  it('lists tags', async () => {
    const { body } = await pushRandomImage(client, 'rt/tags', 't0');
    for (const tag of ['t1', 't2', 't3', 't4']) await client.putManifest('rt/tags', tag, OCI_MANIFEST, body);
    // distribution 2.8 lists tags in storage order, and ignores `n` (no Link): one page
    expect((await client.listTags('rt/tags', { pageSize: 2 })).sort()).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });

  it('follows Link pages (a stand-in server: distribution 2.8 never paginates tags)', async () => {
    const pages: Record<string, { tags: string[]; next?: string }> = {
      '': { tags: ['a', 'b'], next: '/v2/p/q/tags/list?n=2&last=b' },
      b: { tags: ['c', 'd'], next: '/v2/p/q/tags/list?n=2&last=d' },
      d: { tags: ['e'] },
    };
    const asked: string[] = [];
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      asked.push(url.search);
      const page = pages[url.searchParams.get('last') ?? ''];
      const link = page.next ? { Link: `<${page.next}>; rel="next"` } : {};
      response.writeHead(200, { 'Content-Type': 'application/json', ...link }).end(JSON.stringify({ tags: page.tags }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const paged = new RegistryClient({ url: `http://127.0.0.1:${port}` });
      expect(await paged.listTags('p/q', { pageSize: 2 })).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(asked).toEqual(['?n=2', '?n=2&last=b', '?n=2&last=d']);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('mounts a blob from another repository; a failed mount cancels the upload it opened', async () => {
    const manifest = await client.getManifest('src/busybox', '1');
    const parsed = parseManifest(manifest.mediaType, manifest.body);
    const layer = parsed.kind === 'image' ? parsed.blobs[1].digest : '';

    expect(await client.mountBlob('rt/mounted', layer, 'src/busybox')).toBe(true);
    expect(await client.blobExists('rt/mounted', layer)).toBe(true);

    const mark = await logMark(registry);
    expect(await client.mountBlob('rt/mounted', sha256Digest(Buffer.from('nowhere')), 'src/busybox')).toBe(false);
    const requests = await registryRequests(registry, mark);
    expect(requests.map(({ method, status }) => [method, status])).toEqual([
      ['POST', 202],
      ['DELETE', 204],
    ]);
  });

  it('deletes a manifest: then it is a 404, and so is deleting it again', async () => {
    const { digest } = await pushRandomImage(client, 'rt/deleted', 'v1');
    await client.deleteManifest('rt/deleted', digest);
    expect(await registryError(client.getManifest('rt/deleted', digest))).toMatchObject({
      status: 404,
      code: 'MANIFEST_UNKNOWN',
    });
    expect(await registryError(client.getManifest('rt/deleted', 'v1'))).toMatchObject({ status: 404 });
    expect(await registryError(client.deleteManifest('rt/deleted', digest))).toMatchObject({ status: 404 });
  });
});

describe('RegistryClient with htpasswd', () => {
  let registry: PrivateRegistry;

  beforeAll(async () => {
    registry = await startPrivateRegistry({ auth: { kind: 'htpasswd', users: { mirror: MIRROR.password } } });
  });
  afterAll(() => registry?.stop());

  it('is refused without or with wrong credentials, as a RegistryError 401', async () => {
    const anonymous = new RegistryClient({ url: registry.url });
    expect(await registryError(anonymous.ping())).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await registryError(anonymous.blobExists('a/b', sha256Digest(Buffer.from('x'))))).toMatchObject({
      status: 401,
    });
    const wrong = new RegistryClient({ url: registry.url, credentials: { ...MIRROR, password: 'nope' } });
    expect(await registryError(wrong.getManifest('a/b', 'v1'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('answers the Basic challenge once, then sends credentials up front', async () => {
    const client = new RegistryClient({ url: registry.url, credentials: MIRROR });
    const mark = await logMark(registry);
    await client.ping();
    const pushed = await pushRandomImage(client, 'mirror/web', 'v1');
    expect((await client.getManifest('mirror/web', 'v1')).digest).toBe(pushed.digest);
    const statuses = (await registryRequests(registry, mark)).map((request) => request.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(1);
  });
});

describe('RegistryClient with token auth', () => {
  let key: TokenSigningKey;
  let signer: RegistryTokenSigner;
  let realm: TokenRealm;
  let registry: PrivateRegistry;

  beforeAll(async () => {
    key = await createTokenSigningKey();
    signer = new RegistryTokenSigner({ keyPem: key.keyPem, certPem: key.certPem, issuer: ISSUER, service: SERVICE });
    realm = await startTokenRealm({ signer, users: { dev: 'dev-pw', viewer: 'viewer-pw' } });
    registry = await startPrivateRegistry({
      auth: { kind: 'token', realm: realm.url, service: SERVICE, issuer: ISSUER, rootCertBundlePath: key.certPath },
    });
    realm.rights.dev = { 'acme/web': ['pull', 'push', 'delete'], 'acme/api': ['pull', 'push'] };
    realm.rights.viewer = { 'acme/web': ['pull'] };
  });
  afterAll(async () => {
    await registry?.stop();
    await realm?.close();
    if (key) await rm(key.dir, { recursive: true, force: true });
  });

  it('fetches a token from the realm for exactly the scopes of the operation', async () => {
    const dev = new RegistryClient({ url: registry.url, credentials: { username: 'dev', password: 'dev-pw' } });
    const before = realm.requests.length;
    const pushed = await pushRandomImage(dev, 'acme/web', 'v1');
    expect(await dev.getManifest('acme/web', 'v1')).toMatchObject({ digest: pushed.digest });
    await dev.deleteManifest('acme/web', (await pushRandomImage(dev, 'acme/web', 'gone')).digest);

    expect(realm.requests.slice(before)).toEqual([
      { user: 'dev', scopes: ['repository:acme/web:pull'], service: SERVICE },
      { user: 'dev', scopes: ['repository:acme/web:pull,push'], service: SERVICE },
      { user: 'dev', scopes: ['repository:acme/web:delete'], service: SERVICE },
    ]);
  });

  it('caches a token per scope set until shortly before it expires', async () => {
    const credentials = { username: 'dev', password: 'dev-pw' };
    await pushRandomImage(new RegistryClient({ url: registry.url, credentials }), 'acme/api', 'v1');
    realm.ttlSeconds = 2;
    try {
      const dev = new RegistryClient({ url: registry.url, credentials });
      await dev.ping();
      const before = realm.requests.length;
      for (let i = 0; i < 5; i++) await dev.getManifest('acme/api', 'v1');
      await dev.listTags('acme/api');
      expect(realm.requests.length - before).toBe(1);

      await dev.getManifest('acme/web', 'v1');
      expect(realm.requests.length - before).toBe(2);

      // a 2 s token is refreshed a quarter of its life early: after 1.5 s
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      await dev.getManifest('acme/api', 'v1');
      expect(realm.requests.length - before).toBe(3);
    } finally {
      realm.ttlSeconds = 300;
    }
  });

  it('maps refusals to RegistryErrors: bad credentials at the realm, a token short of push, no token at all', async () => {
    const wrong = new RegistryClient({ url: registry.url, credentials: { username: 'dev', password: 'nope' } });
    expect(await registryError(wrong.getManifest('acme/web', 'v1'))).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });

    const viewer = new RegistryClient({
      url: registry.url,
      credentials: { username: 'viewer', password: 'viewer-pw' },
    });
    const { body } = await viewer.getManifest('acme/web', 'v1');
    const denied = await registryError(viewer.putManifest('acme/web', 'v2', OCI_MANIFEST, body));
    expect(denied.status).toBe(401);
    // distribution 2.8 answers a token short of a scope as it does no token: 401 UNAUTHORIZED
    expect(denied.code).toBe('UNAUTHORIZED');
    expect(await registryError(viewer.getManifest('acme/api', 'v1'))).toMatchObject({ status: 401 });

    // anonymous: the realm grants nothing, the registry refuses
    const anonymous = new RegistryClient({ url: registry.url });
    expect(await registryError(anonymous.listTags('acme/web'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('with `bearer`, mints its own tokens and never asks the realm', async () => {
    const asked: string[][] = [];
    const client = new RegistryClient({
      url: registry.url,
      bearer: async (scopes) => {
        asked.push(scopes);
        return signer.sign(
          'images-service',
          scopes.map((scope) => ({ ...parseScope(scope)!, actions: [...parseScope(scope)!.actions] })),
        ).token;
      },
    });
    const before = realm.requests.length;
    const pushed = await pushRandomImage(client, 'other/app', 'v1');
    expect(await client.listTags('other/app')).toEqual(['v1']);
    expect((await client.getManifest('other/app', 'v1')).digest).toBe(pushed.digest);
    expect(realm.requests.length).toBe(before);
    expect(asked).toContainEqual(['repository:other/app:pull,push']);
    expect(asked).toContainEqual(['repository:other/app:pull']);
  });
});
