import { createSign, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createTokenSigningKey, eventually } from '@caas/testing';
import { type Api, PASSWORD } from './support/api';
import { DockerCli } from './support/docker-cli';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';

/*
 * The platform registry end to end: a real docker-registry (distribution 2.8) whose token
 * realm is this platform's gateway, the images service as its token server, and the stock
 * docker CLI against a real engine — login, push, pull, and every way a token is refused.
 */

const ADMIN = { email: 'registry-e2e-admin@example.com', password: 'registry e2e admin password' };
const BASE_IMAGE = 'caas/busybox:1';
const NOTIFIED = { timeoutMs: 20_000, intervalMs: 200 };

interface Person {
  readonly email: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly token: string;
  readonly docker: DockerCli;
}

describe('the platform registry (gateway, tenancy, images as child processes; a real registry and engine)', () => {
  let platform: Platform;
  let engine: string;
  let registryHost: string;
  let alice: Person;
  let bob: Person;
  let anonymous: DockerCli;
  const clis: DockerCli[] = [];
  const pushed: string[] = [];

  const person = async (api: Api, label: string): Promise<Person> => {
    const user = await api.signUp(label);
    const tenant = await api.createTenant(user.token);
    const docker = await DockerCli.for(engine);
    clis.push(docker);
    return { email: user.email, userId: user.userId, tenantId: tenant.tenantId, token: tenant.token, docker };
  };
  const image = (tenantId: string, name: string, tag = '1') => `${registryHost}/${tenantId}/${name}:${tag}`;
  const push = async (docker: DockerCli, reference: string) => {
    await docker.ok('tag', BASE_IMAGE, reference);
    pushed.push(reference);
    return docker.run('push', reference);
  };
  const pull = async (docker: DockerCli, reference: string) => {
    await docker.run('rmi', '-f', reference);
    return docker.run('pull', reference);
  };
  const repositories = async (who: Person) =>
    (await platform.api.expect(200, 'GET', '/v1/repositories', { token: who.token })).body as Array<{
      repositoryId: string;
      repository: string;
      visibility: string;
      tags: Array<{ tag: string; digest: string; size: number; pushedBy: string }>;
    }>;

  beforeAll(async () => {
    [engine] = await dockerHosts();
    platform = await Platform.start({ admin: ADMIN, images: true });
    registryHost = platform.registry!.registry.host;
    alice = await person(platform.api, 'alice');
    bob = await person(platform.api, 'bob');
    anonymous = await DockerCli.for(engine);
    clis.push(anonymous);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (engine && pushed.length) await clis[0]?.run('rmi', '-f', ...new Set(pushed));
    await Promise.all(clis.map((cli) => cli.dispose()));
    await platform?.stop();
  });

  it('logs in with a platform password, and refuses a wrong one', async () => {
    expect((await alice.docker.login(registryHost, alice.email, PASSWORD)).stdout).toContain('Login Succeeded');
    expect((await bob.docker.login(registryHost, bob.email, PASSWORD)).stdout).toContain('Login Succeeded');
    const wrong = await anonymous.login(registryHost, alice.email, 'not the password');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/unauthorized|401/i);
  });

  it('pushes into the tenant’s namespace, records it from the registry’s notification, and pulls it back', async () => {
    const reference = image(alice.tenantId, 'web');
    const result = await push(alice.docker, reference);
    expect(result.stderr).toBe('');
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.stdout)?.[1];
    expect(digest).toBeDefined();

    const [web] = await eventually(
      () => repositories(alice),
      (list) => list[0]?.tags.length === 1,
      NOTIFIED,
    );
    expect(web).toMatchObject({ repository: `${alice.tenantId}/web`, visibility: 'private' });
    expect(web!.tags[0]).toMatchObject({ tag: '1', digest, pushedBy: `user:${alice.userId}` });
    expect(web!.tags[0]!.size).toBeGreaterThan(100_000); // busybox's layer, not just the manifest

    expect((await pull(alice.docker, reference)).code).toBe(0);
    expect(await repositories(bob)).toEqual([]);
  });

  it('denies another tenant pulling a private repository, and anyone pushing into a namespace not theirs', async () => {
    const reference = image(alice.tenantId, 'web');
    const pulled = await pull(bob.docker, reference);
    expect(pulled.code).not.toBe(0);
    expect(pulled.stderr).toMatch(/denied|unauthorized|not found/i);
    const anonymousPull = await pull(anonymous, reference);
    expect(anonymousPull.code).not.toBe(0);

    const intoAlice = await push(bob.docker, image(alice.tenantId, 'intruder'));
    expect(intoAlice.code).not.toBe(0);
    expect(intoAlice.stderr).toMatch(/denied|unauthorized/i);
    const outsideAnyTenant = await push(bob.docker, `${registryHost}/acme/web:1`);
    expect(outsideAnyTenant.code).not.toBe(0);
    expect((await repositories(alice)).map((r) => r.repository)).toEqual([`${alice.tenantId}/web`]);
  });

  it('logs in with an API key: its tenant and role decide, a viewer key pulls tenant-visible images only', async () => {
    const key = async (role: string) =>
      (
        await platform.api.expect(201, 'POST', '/v1/api-keys', {
          token: alice.token,
          body: { name: `ci-${role}`, role },
        })
      ).body.secret as string;
    const ci = await DockerCli.for(engine);
    const viewer = await DockerCli.for(engine);
    clis.push(ci, viewer);
    expect((await ci.login(registryHost, 'ci', await key('developer'))).code).toBe(0);
    expect((await viewer.login(registryHost, 'viewer', await key('viewer'))).code).toBe(0);

    expect((await push(ci, image(alice.tenantId, 'api'))).code).toBe(0);
    const web = image(alice.tenantId, 'web');
    expect((await pull(viewer, web)).code).not.toBe(0);
    expect((await push(viewer, image(alice.tenantId, 'viewer-push'))).code).not.toBe(0);

    const [repository] = (await repositories(alice)).filter((r) => r.repository.endsWith('/web'));
    await platform.api.expect(200, 'PATCH', `/v1/repositories/${repository!.repositoryId}`, {
      token: alice.token,
      body: { visibility: 'tenant' },
    });
    expect((await pull(viewer, web)).code).toBe(0);
    expect((await pull(bob.docker, web)).code).not.toBe(0);
  });

  it('lets anyone pull a public repository, anonymous callers included', async () => {
    const [repository] = (await repositories(alice)).filter((r) => r.repository.endsWith('/web'));
    await platform.api.expect(200, 'PATCH', `/v1/repositories/${repository!.repositoryId}`, {
      token: alice.token,
      body: { visibility: 'public' },
    });
    const web = image(alice.tenantId, 'web');
    expect((await pull(bob.docker, web)).code).toBe(0);
    expect((await pull(anonymous, web)).code).toBe(0);
    expect((await push(bob.docker, image(alice.tenantId, 'web', '2'))).code).not.toBe(0);
  });

  it('counts the tenant’s image storage against its plan: pushes stop at the limit and resume after a delete', async () => {
    const carol = await person(platform.api, 'carol');
    expect((await carol.docker.login(registryHost, carol.email, PASSWORD)).code).toBe(0);
    const usage = () =>
      platform.api
        .expect(200, 'GET', '/v1/repositories/usage', { token: carol.token })
        .then(({ body }) => body as { usedBytes: number; limitBytes: number });
    expect(await usage()).toEqual({ usedBytes: 0, limitBytes: 50 * 1024 * 1024 });

    // An image of 52 MB of random bytes (incompressible): more than the free plan's 50 MB.
    const builder = `big-${randomUUID().slice(0, 8)}`;
    await carol.docker.ok(
      'run',
      '--name',
      builder,
      BASE_IMAGE,
      'dd',
      'if=/dev/urandom',
      'of=/big',
      'bs=1M',
      'count=52',
    );
    const big = image(carol.tenantId, 'big');
    pushed.push(big);
    await carol.docker.ok('commit', builder, big);
    await carol.docker.ok('rm', builder);
    expect((await carol.docker.run('push', big)).code).toBe(0);
    const full = await eventually(usage, ({ usedBytes }) => usedBytes > 0, NOTIFIED);
    expect(full.usedBytes).toBeGreaterThan(full.limitBytes);

    const refused = await push(carol.docker, image(carol.tenantId, 'small'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/denied|unauthorized/i);

    const [repository] = await repositories(carol);
    await platform.api.expect(200, 'DELETE', `/v1/repositories/${repository!.repositoryId}`, { token: carol.token });
    expect((await usage()).usedBytes).toBe(0);
    expect((await push(carol.docker, image(carol.tenantId, 'small'))).code).toBe(0);
  });

  describe('token abuse, straight at the registry', () => {
    const manifestOf = (repository: string, token: string) =>
      fetch(`${platform.registry!.registry.url}/v2/${repository}/manifests/1`, {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      });
    const tokenFor = async (scope: string, credentials?: { user: string; password: string }) => {
      const headers: Record<string, string> = credentials
        ? { Authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` }
        : {};
      const query = new URLSearchParams({ service: 'caas-registry', scope });
      const answer = await fetch(`${platform.api.baseUrl}/v1/registry/token?${query}`, { headers });
      expect(answer.status).toBe(200);
      return ((await answer.json()) as { token: string }).token;
    };
    /** A token as the images service makes them, with the claims and key the test chooses. */
    const forge = (keyPem: string, certPem: string, claims: Record<string, unknown>) => {
      const x5c = [certPem.replace(/-----[^-]+-----|\s/g, '')];
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const input = `${encode({ typ: 'JWT', alg: 'RS256', x5c })}.${encode(claims)}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(keyPem).toString('base64url')}`;
    };
    const claims = (repository: string, expiresIn: number) => {
      const now = Math.floor(Date.now() / 1_000);
      return {
        iss: 'caas-images',
        sub: 'user:forger',
        aud: 'caas-registry',
        iat: now,
        nbf: now - 10,
        exp: now + expiresIn,
        jti: randomUUID(),
        access: [{ type: 'repository', name: repository, actions: ['pull', 'push'] }],
      };
    };
    const aliceCredentials = () => ({ user: alice.email, password: PASSWORD });

    it('a genuine token works for its own repository only (repository A used on B)', async () => {
      const web = `${alice.tenantId}/web`;
      const api = `${alice.tenantId}/api`;
      const token = await tokenFor(`repository:${web}:pull`, aliceCredentials());
      expect((await manifestOf(web, token)).status).toBe(200);
      expect((await manifestOf(api, token)).status).toBe(401);
    });

    it('an expired token is refused', async () => {
      const { keyPem, certPem } = platform.registry!.signingKey;
      const web = `${alice.tenantId}/web`;
      expect((await manifestOf(web, forge(keyPem, certPem, claims(web, 300)))).status).toBe(200);
      expect((await manifestOf(web, forge(keyPem, certPem, claims(web, -60)))).status).toBe(401);
    });

    it('a token signed with a foreign key is refused', async () => {
      const foreign = await createTokenSigningKey();
      try {
        const api = `${alice.tenantId}/api`;
        expect((await manifestOf(api, forge(foreign.keyPem, foreign.certPem, claims(api, 300)))).status).toBe(401);
      } finally {
        await rm(foreign.dir, { recursive: true, force: true });
      }
    });

    it('another tenant asking for a private repository gets a token that grants nothing', async () => {
      const api = `${alice.tenantId}/api`;
      const token = await tokenFor(`repository:${api}:pull,push`, { user: bob.email, password: PASSWORD });
      const claimsOf = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { access: unknown[] };
      expect(claimsOf.access).toEqual([]);
      expect((await manifestOf(api, token)).status).toBe(401);
    });

    it('a wrong password gets no token at all', async () => {
      const query = new URLSearchParams({ service: 'caas-registry', scope: `repository:${alice.tenantId}/web:pull` });
      const answer = await fetch(`${platform.api.baseUrl}/v1/registry/token?${query}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${alice.email}:wrong`).toString('base64')}` },
      });
      expect(answer.status).toBe(401);
    });
  });

  it('deletes a tag with its image, refusing one that shares its image with other tags; deletes a repository', async () => {
    expect((await push(alice.docker, image(alice.tenantId, 'web', 'latest'))).code).toBe(0);
    const named = (name: string) =>
      repositories(alice).then((list) => list.find((r) => r.repository.endsWith(`/${name}`)));
    const web = await eventually(
      () => named('web'),
      (repository) => repository?.tags.length === 2,
      NOTIFIED,
    );
    const shared = await platform.api.call('DELETE', `/v1/repositories/${web!.repositoryId}/tags/1`, {
      token: alice.token,
    });
    expect(shared.status).toBe(409);
    expect(shared.body.details.tags).toEqual(['latest']);

    const api = await eventually(
      () => named('api'),
      (repository) => repository?.tags.length === 1,
      NOTIFIED,
    );
    await platform.api.expect(404, 'DELETE', `/v1/repositories/${api!.repositoryId}/tags/1`, { token: bob.token });
    await platform.api.expect(200, 'DELETE', `/v1/repositories/${api!.repositoryId}/tags/1`, { token: alice.token });
    expect((await named('api'))!.tags).toEqual([]);
    expect((await pull(alice.docker, image(alice.tenantId, 'api'))).code).not.toBe(0);

    await platform.api.expect(404, 'DELETE', `/v1/repositories/${web!.repositoryId}`, { token: bob.token });
    await platform.api.expect(200, 'DELETE', `/v1/repositories/${web!.repositoryId}`, { token: alice.token });
    expect(await named('web')).toBeUndefined();
    expect((await pull(alice.docker, image(alice.tenantId, 'web', 'latest'))).code).not.toBe(0);
  });
});
