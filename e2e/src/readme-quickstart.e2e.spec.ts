import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json } from './support/api';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';
import { assertSucceeded, readmeBlock, runBash } from './support/readme';

/*
 * The README's quickstart, run as a reader would run it: the bash block between
 * <!-- quickstart:begin --> and <!-- quickstart:end -->, verbatim, with `bash -e`, against
 * the platform as child processes — tenancy, scheduling (the local Docker engines as its
 * bootstrap hosts) and the gateway, on a scratch database, as `npm start` runs them.
 * If the README's commands stop working, this fails.
 */

const ADMIN = { email: 'quickstart-e2e-admin@example.com', password: 'quickstart e2e admin password' };

/** The lines of the output that are JSON arrays (the two listings). */
function jsonArrays(stdout: string): Json[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map((line) => JSON.parse(line));
}

/** The lines of the output that are JSON objects (answers, the log tail, followed log lines). */
function jsonObjects(stdout: string): Json[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

describe('README quickstart', () => {
  let platform: Platform;
  /** The reader's ~/.docker: `docker login` writes there. */
  let dockerConfig: string;

  beforeAll(async () => {
    // Host ports of this file's own: other suites publish on the same engines' address.
    const scheduling = { bootstrapHosts: await dockerHosts(), portRange: '32400-32549' };
    platform = await Platform.start({ admin: ADMIN, scheduling, images: true });
    dockerConfig = await mkdtemp(join(tmpdir(), 'caas-quickstart-docker-'));
  }, ENGINE_SETUP_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await platform?.stop();
    if (dockerConfig) await rm(dockerConfig, { recursive: true, force: true });
  });

  it('runs as written with bash -e: members and API key listed, a 3-replica service deployed, called and its log read', async () => {
    const script = readmeBlock('quickstart');
    const [engine] = await dockerHosts();
    const result = await runBash(
      script,
      {
        API: `${platform.api.baseUrl}/v1`,
        REGISTRY: platform.registry!.registry.host,
        DOCKER_HOST: engine!,
        DOCKER_CONFIG: dockerConfig,
      },
      150_000,
    );
    assertSucceeded('The quickstart', result);

    const [members, apiKeys, repositories, ...more] = jsonArrays(result.stdout);
    expect(more).toEqual([]);
    expect(members).toHaveLength(2);
    expect(members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Ada', role: 'owner', email: expect.stringMatching(/^ada-\d+@example\.com$/) }),
        expect.objectContaining({
          name: 'Grace',
          role: 'developer',
          email: expect.stringMatching(/^grace-\d+@example\.com$/),
        }),
      ]),
    );
    expect(apiKeys).toEqual([
      expect.objectContaining({
        keyId: expect.any(String),
        name: 'ci-deployer',
        role: 'developer',
        status: 'active',
        prefix: expect.stringMatching(/^caas_/),
      }),
    ]);
    // The key's secret is shown once, at creation, never in a listing.
    expect(JSON.stringify(apiKeys)).not.toMatch(/caas_[A-Za-z0-9_-]{20,}/);
    // And it all happened on this platform (API was honoured), not on a platform at the default URL.
    const ada = members.find((member: { role: string }) => member.role === 'owner');
    await platform.api.expect(200, 'POST', '/v1/auth/login', {
      body: { email: ada.email, password: 'correct horse battery' },
    });

    // The pushed image, as the registry's notification recorded it, in the tenant's namespace.
    expect(repositories).toEqual([
      expect.objectContaining({
        repository: expect.stringMatching(/^[0-9a-f-]{36}\/web$/),
        visibility: 'private',
        tags: [expect.objectContaining({ tag: '1', digest: expect.stringMatching(/^sha256:/) })],
      }),
    ]);
    expect(result.stdout).toContain('Login Succeeded');

    // The service: refused on the free plan, deployed on Pro, 3 replicas each serving its hostname.
    const objects = jsonObjects(result.stdout);
    expect(objects).toContainEqual(
      expect.objectContaining({ code: 'quota_exceeded', details: expect.objectContaining({ limit: 'maxContainers' }) }),
    );
    expect(objects).toContainEqual(expect.objectContaining({ planId: 'pro' }));
    expect(result.stdout).toContain('web: 3 of 3 replicas running');
    const hostnames = result.stdout.split('\n').filter((line) => /^[0-9a-f]{12}$/.test(line));
    expect(new Set(hostnames).size).toBe(3);
    // The log tail has the replica's start line and the request it served; following it
    // streamed at least the request made while it was followed.
    const tail = objects.find((object) => Array.isArray(object.lines));
    const tailText = tail.lines.map((line: Json) => line.line).join('\n');
    expect(tailText).toMatch(/serving [0-9a-f]{12}/);
    expect(tailText).toContain('response:200');
    const followed = objects.filter((object) => object.stream && typeof object.line === 'string');
    expect(followed.some((line) => line.line.includes('response:200'))).toBe(true);
  }, 180_000);
});
