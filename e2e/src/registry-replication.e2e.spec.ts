import { type PrivateRegistry, eventually, sleep, startPrivateRegistry } from '@caas/testing';
import { type Api, PASSWORD } from './support/api';
import { DockerCli } from './support/docker-cli';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';

/*
 * Imports and replication end to end: the platform (gateway, tenancy, images as child
 * processes, its registry with token auth) and a second registry with htpasswd auth —
 * "another registry" to import from, and "another region" to replicate to. The docker
 * CLI against a real engine seeds it, pulls and runs what was imported.
 */

const ADMIN = { email: 'replication-e2e-admin@example.com', password: 'replication e2e admin password' };
const BASE_IMAGE = 'caas/busybox:1';
const MIRROR_USER = 'mirror';
const MIRROR_PASSWORD = 'mirror e2e password';
const NOTIFIED = { timeoutMs: 30_000, intervalMs: 250 };

interface Person {
  readonly email: string;
  readonly tenantId: string;
  readonly token: string;
  readonly docker: DockerCli;
}

interface RepositoryJson {
  repositoryId: string;
  repository: string;
  tags: Array<{ tag: string; digest: string; pushedBy: string }>;
}

describe('imports from and replication to another registry (a second registry with its own users)', () => {
  let platform: Platform;
  let mirror: PrivateRegistry;
  let engine: string;
  let registryHost: string;
  let seeder: DockerCli;
  let alice: Person;
  let bob: Person;
  let sourceDigest: string;
  const clis: DockerCli[] = [];
  const references: string[] = [];

  const person = async (api: Api, label: string): Promise<Person> => {
    const user = await api.signUp(label);
    const tenant = await api.createTenant(user.token);
    const docker = await DockerCli.for(engine);
    clis.push(docker);
    return { email: user.email, tenantId: tenant.tenantId, token: tenant.token, docker };
  };
  const push = async (docker: DockerCli, reference: string) => {
    await docker.ok('tag', BASE_IMAGE, reference);
    references.push(reference);
    return docker.run('push', reference);
  };
  const repositories = async (who: Person) =>
    (await platform.api.expect<RepositoryJson[]>(200, 'GET', '/v1/repositories', { token: who.token })).body;
  const named = async (who: Person, name: string) =>
    (await repositories(who)).find((repository) => repository.repository === `${who.tenantId}/${name}`);
  /** The mirror's own answer, with its own users: the independent witness of a replication. */
  const mirrorTags = async (repository: string): Promise<string[]> => {
    const response = await fetch(`${mirror.url}/v2/${repository}/tags/list`, {
      headers: { Authorization: `Basic ${Buffer.from(`${MIRROR_USER}:${MIRROR_PASSWORD}`).toString('base64')}` },
    });
    if (response.status === 404) return [];
    expect(response.status).toBe(200);
    return ((await response.json()) as { tags: string[] | null }).tags ?? [];
  };
  const importImage = (who: Person, body: Record<string, unknown>) =>
    platform.api.call('POST', '/v1/repositories/import', { token: who.token, body });

  beforeAll(async () => {
    [engine] = await dockerHosts();
    [platform, mirror] = await Promise.all([
      Platform.start({ admin: ADMIN, images: true }),
      startPrivateRegistry({ auth: { kind: 'htpasswd', users: { [MIRROR_USER]: MIRROR_PASSWORD } } }),
    ]);
    registryHost = platform.registry!.registry.host;
    seeder = await DockerCli.for(engine);
    clis.push(seeder);
    alice = await person(platform.api, 'alice');
    bob = await person(platform.api, 'bob');

    // What the source registry holds: busybox as team/app:1.2, pushed by its own user.
    expect((await seeder.login(mirror.host, MIRROR_USER, MIRROR_PASSWORD)).code).toBe(0);
    const seeded = await push(seeder, `${mirror.host}/team/app:1.2`);
    expect(seeded.code).toBe(0);
    sourceDigest = /digest: (sha256:[0-9a-f]{64})/.exec(seeded.stdout)![1]!;
    expect((await alice.docker.login(registryHost, alice.email, PASSWORD)).code).toBe(0);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (process.env.DEBUG_REGISTRY) {
      console.log('IMAGES', platform?.images?.logs().slice(-6000));
      console.log('MIRROR', mirror?.logs().slice(-4000));
    }
    if (engine && references.length) await seeder?.run('rmi', '-f', ...new Set(references));
    await Promise.all(clis.map((cli) => cli.dispose()));
    await platform?.stop();
    await mirror?.stop();
  });

  describe('import', () => {
    it('copies an image with the source’s credentials into the tenant’s namespace; it pulls and runs', async () => {
      const source = `${mirror.host}/team/app:1.2`;
      const imported = await importImage(alice, {
        source,
        username: MIRROR_USER,
        password: MIRROR_PASSWORD,
        name: 'app',
      });
      expect(imported.status).toBe(201);
      expect(imported.body).toMatchObject({
        repository: `${alice.tenantId}/app`,
        tag: '1.2',
        digest: sourceDigest,
        source,
      });
      expect(imported.body.size).toBeGreaterThan(100_000);
      expect(JSON.stringify(imported.body)).not.toContain(MIRROR_PASSWORD);

      // The tag is recorded from the registry's push notification, as for any push.
      const app = await eventually(
        () => named(alice, 'app'),
        (repository) => repository?.tags.length === 1,
        NOTIFIED,
      );
      expect(app!.tags[0]).toMatchObject({ tag: '1.2', digest: sourceDigest, pushedBy: 'service:images' });

      const reference = `${registryHost}/${alice.tenantId}/app:1.2`;
      references.push(reference);
      await alice.docker.run('rmi', '-f', reference);
      expect((await alice.docker.run('pull', reference)).code).toBe(0);
      const ran = await alice.docker.run('run', '--rm', reference, 'echo', 'ok');
      expect(ran).toMatchObject({ code: 0, stdout: 'ok\n' });
    });

    it('a digest reference is imported as `latest`, or under the tag asked for', async () => {
      const source = `${mirror.host}/team/app@${sourceDigest}`;
      const credentials = { username: MIRROR_USER, password: MIRROR_PASSWORD };
      const latest = await importImage(alice, { source, ...credentials, name: 'pinned' });
      expect(latest.status).toBe(201);
      expect(latest.body).toMatchObject({ tag: 'latest', digest: sourceDigest });
      const tagged = await importImage(alice, { source, ...credentials, name: 'pinned', tag: 'stable' });
      expect(tagged.body).toMatchObject({ tag: 'stable', digest: sourceDigest });
      await eventually(
        () => named(alice, 'pinned'),
        (repository) => repository?.tags.length === 2,
        NOTIFIED,
      );
    });

    it('refuses wrong or missing credentials naming username and password, an unknown image naming source', async () => {
      const source = `${mirror.host}/team/app:1.2`;
      const wrong = await importImage(alice, { source, username: MIRROR_USER, password: 'wrong', name: 'nope' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.violations.map((v: { field: string }) => v.field)).toEqual(['username', 'password']);
      const anonymous = await importImage(alice, { source, name: 'nope' });
      expect(anonymous.status).toBe(400);
      expect(anonymous.body.violations.map((v: { field: string }) => v.field)).toEqual(['username', 'password']);

      const unknown = await importImage(alice, {
        source: `${mirror.host}/team/app:9.9`,
        username: MIRROR_USER,
        password: MIRROR_PASSWORD,
        name: 'nope',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.details).toMatchObject({ field: 'source' });
      const nowhere = await importImage(alice, { source: '127.0.0.1:1/team/app:1.2', name: 'nope' });
      expect(nowhere.status).toBe(404);
      expect(nowhere.body.message).toMatch(/cannot be reached/);

      const malformed = await importImage(alice, { source: 'team/app:1.2', name: 'nope' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.violations[0]).toMatchObject({ field: 'source' });
      const badName = await importImage(alice, { source, name: 'Not/Valid' });
      expect(badName.status).toBe(400);
      expect(badName.body.violations[0]).toMatchObject({ field: 'name' });

      expect(await named(alice, 'nope')).toBeUndefined();
    });

    it('always imports into the caller’s own namespace', async () => {
      const imported = await importImage(bob, {
        source: `${mirror.host}/team/app:1.2`,
        username: MIRROR_USER,
        password: MIRROR_PASSWORD,
        name: `${alice.tenantId}/app`.replace(/-/g, ''),
      });
      expect(imported.status).toBe(201);
      expect(imported.body.repository.startsWith(`${bob.tenantId}/`)).toBe(true);
      expect((await repositories(alice)).map((r) => r.repository).sort()).toEqual([
        `${alice.tenantId}/app`,
        `${alice.tenantId}/pinned`,
      ]);
    });
  });

  describe('replication', () => {
    let app: RepositoryJson;
    let replicationId: string;
    const replicationsOf = (who: Person, repositoryId: string) =>
      platform.api.call('GET', `/v1/repositories/${repositoryId}/replications`, { token: who.token });

    beforeAll(async () => {
      app = (await named(alice, 'app'))!;
    });

    it('refuses a target that will not take its credentials, naming them; another tenant’s repository is not found', async () => {
      const path = `/v1/repositories/${app.repositoryId}/replications`;
      const wrong = await platform.api.call('POST', path, {
        token: alice.token,
        body: { targetUrl: mirror.url, username: MIRROR_USER, password: 'wrong' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.violations.map((v: { field: string }) => v.field)).toEqual(['username', 'password']);
      const badUrl = await platform.api.call('POST', path, {
        token: alice.token,
        body: { targetUrl: 'ftp://example.com' },
      });
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.violations[0]).toMatchObject({ field: 'targetUrl' });

      const body = { targetUrl: mirror.url, username: MIRROR_USER, password: MIRROR_PASSWORD };
      await platform.api.expect(404, 'POST', path, { token: bob.token, body });
      expect((await replicationsOf(bob, app.repositoryId)).status).toBe(404);
    });

    it('copies every existing tag to the target at once', async () => {
      const created = await platform.api.expect(201, 'POST', `/v1/repositories/${app.repositoryId}/replications`, {
        token: alice.token,
        body: {
          targetUrl: mirror.url,
          targetRepository: 'mirror/app',
          username: MIRROR_USER,
          password: MIRROR_PASSWORD,
        },
      });
      replicationId = created.body.replicationId;
      expect(created.body).toMatchObject({ targetUrl: mirror.url, targetRepository: 'mirror/app' });
      expect(JSON.stringify(created.body)).not.toContain(MIRROR_PASSWORD);

      await eventually(
        () => mirrorTags('mirror/app'),
        (tags) => tags.includes('1.2'),
        NOTIFIED,
      );
      const [replication] = (
        await eventually(
          () => replicationsOf(alice, app.repositoryId),
          (answer) => answer.body[0]?.lastReplicated?.tag === '1.2',
          NOTIFIED,
        )
      ).body;
      expect(replication).toMatchObject({
        replicationId,
        lastReplicated: { tag: '1.2', digest: sourceDigest },
        lastError: null,
      });
      expect(JSON.stringify(replication)).not.toContain(MIRROR_PASSWORD);

      const again = await platform.api.call('POST', `/v1/repositories/${app.repositoryId}/replications`, {
        token: alice.token,
        body: {
          targetUrl: mirror.url,
          targetRepository: 'mirror/app',
          username: MIRROR_USER,
          password: MIRROR_PASSWORD,
        },
      });
      expect(again.status).toBe(409);
    });

    it('copies a new push to the platform registry, which pulls from the target', async () => {
      expect((await push(alice.docker, `${registryHost}/${alice.tenantId}/app:2`)).code).toBe(0);
      await eventually(
        () => mirrorTags('mirror/app'),
        (tags) => tags.includes('2'),
        NOTIFIED,
      );
      const reference = `${mirror.host}/mirror/app:2`;
      references.push(reference);
      await seeder.run('rmi', '-f', reference);
      expect((await seeder.run('pull', reference)).code).toBe(0);
    });

    it('records a failed copy with its reason and when it is retried (a target that went away)', async () => {
      const region = await startPrivateRegistry();
      try {
        await platform.api.expect(201, 'POST', `/v1/repositories/${app.repositoryId}/replications`, {
          token: alice.token,
          body: { targetUrl: region.url },
        });
      } finally {
        await region.stop();
      }
      expect((await push(alice.docker, `${registryHost}/${alice.tenantId}/app:down`)).code).toBe(0);
      const failing = await eventually(
        async () =>
          (await replicationsOf(alice, app.repositoryId)).body.find(
            (replication: { targetUrl: string }) => replication.targetUrl === region.url,
          ),
        (replication) => !!replication?.lastError,
        NOTIFIED,
      );
      expect(failing.lastError.reason).toMatch(/cannot be reached/);
      expect(Date.parse(failing.lastError.retryAt)).toBeGreaterThan(Date.parse(failing.lastError.at));
      await platform.api.expect(
        200,
        'DELETE',
        `/v1/repositories/${app.repositoryId}/replications/${failing.replicationId}`,
        { token: alice.token },
      );
    });

    it('stops once removed; another tenant cannot remove it', async () => {
      const path = `/v1/repositories/${app.repositoryId}/replications/${replicationId}`;
      await platform.api.expect(404, 'DELETE', path, { token: bob.token });
      await platform.api.expect(200, 'DELETE', path, { token: alice.token });
      expect((await replicationsOf(alice, app.repositoryId)).body).toEqual([]);

      expect((await push(alice.docker, `${registryHost}/${alice.tenantId}/app:3`)).code).toBe(0);
      await eventually(
        () => named(alice, 'app'),
        (repository) => !!repository?.tags.some((tag) => tag.tag === '3'),
        NOTIFIED,
      );
      // Long enough for the reactor and the worker to have copied it, had it still been replicated.
      await sleep(3_000);
      expect(await mirrorTags('mirror/app')).not.toContain('3');
    });
  });
});
