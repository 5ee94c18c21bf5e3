import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrivateRegistry, type TokenSigningKey, createTokenSigningKey, startPrivateRegistry } from '@caas/testing';
import { RegistryTokenSigner } from '../registry/registry-token.signer';
import { copyImage, imageSize } from './copy-image';
import { DOCKER_MANIFEST_V2, OCI_INDEX, OCI_MANIFEST, parseManifest, sha256Digest } from './manifest';
import { RegistryClient } from './registry-client';
import { docker, dockerHosts, dockerLogin, pushBusybox } from './testing/docker-cli';
import { logMark, registryRequests } from './testing/registry-requests';
import { type TokenRealm, startTokenRealm } from './testing/token-realm';

const SERVICE = 'caas-registry';
const ISSUER = 'caas-images';
const MIRROR = { username: 'mirror', password: 'mirror-pw' };
const DEV = { username: 'dev', password: 'dev-pw' };

describe('copyImage', () => {
  let pusher: string;
  let puller: string;
  let dockerConfig: string;
  let key: TokenSigningKey;
  let realm: TokenRealm;
  let source: PrivateRegistry;
  let basicTarget: PrivateRegistry;
  let tokenTarget: PrivateRegistry;
  let sourceClient: RegistryClient;
  let basicClient: RegistryClient;
  let tokenClient: RegistryClient;
  let busyboxDigest: string;
  /** Images the puller engine got, removed in afterAll (untagged: busybox stays). */
  const pulled: string[] = [];

  beforeAll(async () => {
    [pusher, puller] = dockerHosts();
    dockerConfig = await mkdtemp(join(tmpdir(), 'caas-docker-config-'));
    key = await createTokenSigningKey();
    const signer = new RegistryTokenSigner({
      keyPem: key.keyPem,
      certPem: key.certPem,
      issuer: ISSUER,
      service: SERVICE,
    });
    realm = await startTokenRealm({
      signer,
      users: { [DEV.username]: DEV.password },
      rights: { [DEV.username]: { 'dst/busybox': ['pull', 'push'], 'dst/multi': ['pull', 'push'] } },
    });
    [source, basicTarget, tokenTarget] = await Promise.all([
      startPrivateRegistry(),
      startPrivateRegistry({ auth: { kind: 'htpasswd', users: { [MIRROR.username]: MIRROR.password } } }),
      startPrivateRegistry({
        auth: { kind: 'token', realm: realm.url, service: SERVICE, issuer: ISSUER, rootCertBundlePath: key.certPath },
      }),
    ]);
    sourceClient = new RegistryClient({ url: source.url });
    basicClient = new RegistryClient({ url: basicTarget.url, credentials: MIRROR });
    tokenClient = new RegistryClient({ url: tokenTarget.url, credentials: DEV });
    busyboxDigest = await pushBusybox(pusher, `${source.host}/src/busybox:1`);
  });

  afterAll(async () => {
    for (const image of pulled) await docker(puller, ['rmi', '-f', image]).catch(() => undefined);
    await Promise.all([source, basicTarget, tokenTarget].map((registry) => registry?.stop()));
    await realm?.close();
    await Promise.all([dockerConfig, key?.dir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /**
   * Proves a copy real: another engine pulls it from the target and runs it. Returns
   * what the run printed and the requests the target served during the pull.
   */
  async function pullAndRun(registry: PrivateRegistry, image: string, user: { username: string; password: string }) {
    const reference = `${registry.host}/${image}`;
    await dockerLogin(puller, dockerConfig, registry.host, user);
    pulled.push(reference);
    const mark = await logMark(registry);
    await docker(puller, ['pull', reference], { config: dockerConfig });
    // an engine that holds the manifest's content already only HEADs it
    const served = (await registryRequests(registry, mark)).filter((request) => request.status === 200);
    expect(served.map((request) => request.path)).toContainEqual(expect.stringContaining('/manifests/'));
    const output = await docker(puller, ['run', '--rm', reference, 'echo', 'ok']);
    return { output, served: served.map((request) => `${request.method} ${request.path}`) };
  }

  const busybox = () => ({ client: sourceClient, repository: 'src/busybox', reference: '1' });

  it('copies docker’s image from a registry without auth into an htpasswd one; another engine runs it', async () => {
    const copied = await copyImage(busybox(), { client: basicClient, repository: 'dst/busybox', tag: 'copied' });

    const manifest = await sourceClient.getManifest('src/busybox', '1');
    const parsed = parseManifest(manifest.mediaType, manifest.body);
    const blobs = parsed.kind === 'image' ? parsed.blobs.reduce((sum, blob) => sum + blob.size, 0) : NaN;
    expect(copied).toEqual({
      digest: busyboxDigest,
      mediaType: DOCKER_MANIFEST_V2,
      size: manifest.body.length + blobs,
    });
    expect(await imageSize(sourceClient, 'src/busybox', '1')).toEqual(copied);
    expect(await imageSize(basicClient, 'dst/busybox', 'copied')).toEqual(copied);

    const { output, served } = await pullAndRun(basicTarget, 'dst/busybox:copied', MIRROR);
    expect(output).toBe('ok\n');
    // The engine pulled it from the target (its layers only when the engine lacks them:
    // other specs may have left the same busybox layers on it).
    expect(served).toContainEqual(expect.stringMatching(/^(GET|HEAD) \/v2\/dst\/busybox\/manifests\/copied/));
  });

  it('copies into a token-auth registry, asking the realm for push on the target only', async () => {
    const before = realm.requests.length;
    const copied = await copyImage(busybox(), { client: tokenClient, repository: 'dst/busybox', tag: 'copied' });
    expect(copied.digest).toBe(busyboxDigest);
    expect(new Set(realm.requests.slice(before).flatMap((request) => request.scopes))).toEqual(
      new Set(['repository:dst/busybox:pull', 'repository:dst/busybox:pull,push']),
    );

    expect((await pullAndRun(tokenTarget, 'dst/busybox:copied', DEV)).output).toBe('ok\n');
  });

  it('uploads no blob when the target has the image already: a HEAD and the manifest', async () => {
    await copyImage(busybox(), { client: basicClient, repository: 'dst/busybox', tag: 'first' });
    const mark = await logMark(basicTarget);
    const started = Date.now();
    const copied = await copyImage(busybox(), { client: basicClient, repository: 'dst/busybox', tag: 'again' });
    const elapsed = Date.now() - started;

    expect(copied.digest).toBe(busyboxDigest);
    const requests = (await registryRequests(basicTarget, mark)).map(
      ({ method, path }) => `${method} ${path.split('?')[0]}`,
    );
    expect(requests.filter((request) => request.includes('/blobs/uploads'))).toEqual([]);
    // the manifest is there by digest, so even its blobs need no look
    expect(requests).toEqual([
      `HEAD /v2/dst/busybox/manifests/${busyboxDigest}`,
      'PUT /v2/dst/busybox/manifests/again',
    ]);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('within one registry, mounts the blobs instead of downloading them', async () => {
    const mark = await logMark(source);
    const copied = await copyImage(busybox(), { client: sourceClient, repository: 'mirror/busybox', tag: '1' });
    expect(copied.digest).toBe(busyboxDigest);

    const requests = await registryRequests(source, mark);
    const mounts = requests.filter((request) => request.method === 'POST' && request.path.includes('mount='));
    expect(mounts.length).toBeGreaterThanOrEqual(2);
    expect(mounts.every((request) => request.status === 201)).toBe(true);
    expect(requests.filter((request) => request.method === 'GET' && request.path.includes('/blobs/'))).toEqual([]);
    expect((await sourceClient.getManifest('mirror/busybox', '1')).digest).toBe(busyboxDigest);
  });

  it('copies an OCI index: each platform’s manifest and blobs, then the index; another engine runs it', async () => {
    const index = await pushIndex(sourceClient, 'src/multi', '1');

    const copied = await copyImage(
      { client: sourceClient, repository: 'src/multi', reference: '1' },
      { client: tokenClient, repository: 'dst/multi', tag: '1' },
    );

    const children = await Promise.all(index.children.map((digest) => imageSize(sourceClient, 'src/multi', digest)));
    expect(copied).toEqual({
      digest: sha256Digest(index.body),
      mediaType: OCI_INDEX,
      size: index.body.length + children.reduce((sum, child) => sum + child.size, 0),
    });
    expect(await imageSize(tokenClient, 'dst/multi', '1')).toEqual(copied);
    expect((await tokenClient.getManifest('dst/multi', '1')).body).toEqual(index.body);
    for (const child of index.children) expect(await tokenClient.manifestExists('dst/multi', child)).toBe(child);

    expect((await pullAndRun(tokenTarget, 'dst/multi:1', DEV)).output).toBe('ok\n');
  });

  /**
   * An OCI index in `repository` of two platforms: busybox for the engines' own
   * architecture (mounted from src/busybox), and a made-up image for another one.
   */
  async function pushIndex(client: RegistryClient, repository: string, tag: string) {
    const busyboxManifest = await client.getManifest('src/busybox', '1');
    const parsed = parseManifest(busyboxManifest.mediaType, busyboxManifest.body);
    if (parsed.kind !== 'image') throw new Error('busybox is expected to be a single image');
    for (const blob of parsed.blobs) await client.mountBlob(repository, blob.digest, 'src/busybox');
    await client.putManifest(repository, busyboxManifest.digest, busyboxManifest.mediaType, busyboxManifest.body);
    const config = JSON.parse((await client.getBlob('src/busybox', parsed.blobs[0].digest)).toString()) as {
      architecture: string;
      os: string;
    };

    const otherConfig = Buffer.from(
      JSON.stringify({ architecture: 'made-up', os: config.os, rootfs: { type: 'layers' } }),
    );
    const otherLayer = Buffer.from(`a layer of another platform ${Math.random()}`);
    await client.pushBlob(repository, sha256Digest(otherConfig), otherConfig);
    await client.pushBlob(repository, sha256Digest(otherLayer), otherLayer);
    const other = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256Digest(otherConfig),
          size: otherConfig.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar',
            digest: sha256Digest(otherLayer),
            size: otherLayer.length,
          },
        ],
      }),
    );
    const otherDigest = await client.putManifest(repository, sha256Digest(other), OCI_MANIFEST, other);

    const body = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: busyboxManifest.mediaType,
            digest: busyboxManifest.digest,
            size: busyboxManifest.body.length,
            platform: { architecture: config.architecture, os: config.os },
          },
          {
            mediaType: OCI_MANIFEST,
            digest: otherDigest,
            size: other.length,
            platform: { architecture: 'made-up', os: config.os },
          },
        ],
      }),
    );
    await client.putManifest(repository, tag, OCI_INDEX, body);
    return { body, children: [busyboxManifest.digest, otherDigest] };
  }
});
