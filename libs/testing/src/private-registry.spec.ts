import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { eventually } from './eventually';
import { createTokenSigningKey, type PrivateRegistry, startPrivateRegistry } from './private-registry';
import { freePort } from './service-process';

const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

describe('startPrivateRegistry', () => {
  const started: PrivateRegistry[] = [];
  const start = async (...args: Parameters<typeof startPrivateRegistry>) => {
    const registry = await startPrivateRegistry(...args);
    started.push(registry);
    return registry;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((registry) => registry.stop()));
  });

  it('without auth: takes a pushed image and lists its tag; stop() removes its dir', async () => {
    const registry = await start();
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    expect(registry.host).toBe(`127.0.0.1:${registry.port}`);

    const digest = await pushImage(registry.url, 'acme/web', 'v1');

    const tags = await fetch(`${registry.url}/v2/acme/web/tags/list`);
    expect(await tags.json()).toEqual({ name: 'acme/web', tags: ['v1'] });
    const manifest = await fetch(`${registry.url}/v2/acme/web/manifests/v1`, { headers: { Accept: MANIFEST_V2 } });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);

    await registry.stop();
    expect(existsSync(registry.dir)).toBe(false);
  });

  it('with htpasswd users: 401 without credentials, 200 with', async () => {
    const registry = await start({ auth: { kind: 'htpasswd', users: { mirror: 'pa ss:word' } } });

    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${registry.url}/v2/`, { headers: basic('mirror', 'nope') });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${registry.url}/v2/`, { headers: basic('mirror', 'pa ss:word') });
    expect(right.status).toBe(200);
  });

  it('with token auth: 401 pointing clients at the realm, for the service', async () => {
    const key = await createTokenSigningKey();
    try {
      const realm = 'http://127.0.0.1:18080/v1/registry/token';
      const registry = await start({
        auth: {
          kind: 'token',
          realm,
          service: 'caas-registry',
          issuer: 'caas-images',
          rootCertBundlePath: key.certPath,
        },
      });

      const root = await fetch(`${registry.url}/v2/`);
      expect(root.status).toBe(401);
      expect(root.headers.get('www-authenticate')).toBe(`Bearer realm="${realm}",service="caas-registry"`);
      const tags = await fetch(`${registry.url}/v2/acme/web/tags/list`);
      expect(tags.status).toBe(401);
      expect(tags.headers.get('www-authenticate')).toBe(
        `Bearer realm="${realm}",service="caas-registry",scope="repository:acme/web:pull"`,
      );
    } finally {
      await rm(key.dir, { recursive: true, force: true });
    }
  });

  it('with notifications: posts a push event for the manifest, with the tag and the configured headers', async () => {
    const receiver = await startReceiver();
    try {
      const registry = await start({
        notifications: { url: `${receiver.url}/v1/registry/events`, headers: { Authorization: 'Bearer s3cret' } },
      });

      const digest = await pushImage(registry.url, 'acme/api', 'v2');

      const pushes = await eventually(
        async () => receiver.events().filter((event) => event.action === 'push' && event.target.tag === 'v2'),
        (found) => found.length > 0,
      );
      expect(pushes).toEqual([
        expect.objectContaining({
          action: 'push',
          target: expect.objectContaining({ mediaType: MANIFEST_V2, repository: 'acme/api', digest, tag: 'v2' }),
        }),
      ]);
      expect(receiver.requests[0]).toMatchObject({
        path: '/v1/registry/events',
        headers: {
          authorization: 'Bearer s3cret',
          'content-type': 'application/vnd.docker.distribution.events.v1+json',
        },
      });
      // ignoredmediatypes: the layer and config blob pushes are not reported
      expect(receiver.events().filter((event) => event.target.mediaType === 'application/octet-stream')).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('createTokenSigningKey', () => {
  it('makes an RSA-2048 key and a self-signed certificate for it, CN caas-images unless told', async () => {
    const key = await createTokenSigningKey();
    try {
      const cert = new X509Certificate(key.certPem);
      expect(cert.subject).toBe('CN=caas-images');
      expect(cert.issuer).toBe('CN=caas-images');
      expect(cert.checkPrivateKey(createPrivateKey(key.keyPem))).toBe(true);
      expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      const years = (Date.parse(cert.validTo) - Date.now()) / (365 * 24 * 3600 * 1000);
      expect(years).toBeGreaterThan(9.9);

      const other = await createTokenSigningKey({ dir: `${key.dir}/other`, commonName: 'elsewhere' });
      expect(other.keyPath).toBe(`${key.dir}/other/key.pem`);
      expect(new X509Certificate(other.certPem).subject).toBe('CN=elsewhere');
    } finally {
      await rm(key.dir, { recursive: true, force: true });
    }
  });
});

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** Pushes a one-layer image (schema 2 manifest) the way a client does; returns the manifest digest. */
async function pushImage(registryUrl: string, repository: string, tag: string): Promise<string> {
  const layer = Buffer.from(`layer of ${repository}:${tag}`);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers' } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_V2,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...(await putBlob(config)) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...(await putBlob(layer)) }],
    }),
  );
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'Content-Type': MANIFEST_V2 },
    body: manifest,
  });
  if (response.status !== 201) throw new Error(`manifest PUT: ${response.status} ${await response.text()}`);
  return response.headers.get('docker-content-digest')!;

  async function putBlob(content: Buffer): Promise<{ digest: string; size: number }> {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const started = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    if (started.status !== 202) throw new Error(`blob upload POST: ${started.status} ${await started.text()}`);
    // Location is relative or absolute, and already carries the upload's state as a query
    const upload = new URL(started.headers.get('location')!, registryUrl);
    upload.searchParams.set('digest', digest);
    const done = await fetch(upload, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: content,
    });
    if (done.status !== 201) throw new Error(`blob upload PUT: ${done.status} ${await done.text()}`);
    return { digest, size: content.length };
  }
}

interface RegistryEvent {
  readonly action: string;
  readonly target: {
    readonly mediaType: string;
    readonly repository: string;
    readonly digest: string;
    readonly tag?: string;
  };
}

interface Receiver {
  readonly url: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders; body: string }[];
  events(): RegistryEvent[];
  close(): Promise<void>;
}

/** A tiny HTTP endpoint that records what the registry posts to it and answers 200. */
async function startReceiver(): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(200).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    events: () => requests.flatMap((request) => (JSON.parse(request.body) as { events: RegistryEvent[] }).events),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // the registry keeps its connection alive
        server.closeAllConnections();
      }),
  };
}
