import { eventually } from '@caas/testing';
import { type Api, PASSWORD } from './support/api';
import { DockerCli } from './support/docker-cli';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';

/*
 * Deploys from the platform registry: scheduling pulls `<registry>/<tenant>/<repo>:<tag>`
 * onto the host it placed the container on, with a pull-only token the images service
 * mints for that tenant and repository; another tenant's private image is refused at the
 * API, before anything is placed.
 */

const ADMIN = { email: 'registry-deploy-admin@example.com', password: 'registry deploy admin password' };
/** Host ports of this file's own: every suite publishes on the same engines' address. */
const PORT_RANGE = '32700-32749';
const CONVERGE = { timeoutMs: 60_000, intervalMs: 250 };

interface Tenant {
  readonly email: string;
  readonly tenantId: string;
  readonly token: string;
  readonly environmentId: string;
}

describe('deploying images of the platform registry (the whole platform as child processes; real registry and engines)', () => {
  let platform: Platform;
  let engines: string[];
  let docker: DockerCli;
  let alice: Tenant;
  let bob: Tenant;
  let image: string;

  const tenant = async (api: Api, label: string): Promise<Tenant> => {
    const user = await api.signUp(label);
    const { tenantId, token } = await api.createTenant(user.token);
    // Room for every container the spec runs (the free plan allows 2).
    await api.expect(200, 'POST', '/v1/tenant/plan', { token, body: { planId: 'pro' } });
    const { body } = await api.expect(201, 'POST', '/v1/environments', { token, body: { name: 'production' } });
    return { email: user.email, tenantId, token, environmentId: body.environmentId };
  };
  const container = (who: Tenant, reference: string, command = ['sleep', '3600']) =>
    platform.api.call('POST', '/v1/containers', {
      token: who.token,
      body: { environmentId: who.environmentId, image: reference, command, resources: { cpus: 0.1, memoryMb: 32 } },
    });
  const status = (who: Tenant, containerId: string) =>
    platform.api.expect(200, 'GET', `/v1/containers/${containerId}`, { token: who.token }).then(({ body }) => body);

  beforeAll(async () => {
    engines = await dockerHosts();
    platform = await Platform.start({
      admin: ADMIN,
      images: true,
      scheduling: { bootstrapHosts: engines, portRange: PORT_RANGE },
    });
    alice = await tenant(platform.api, 'alice');
    bob = await tenant(platform.api, 'bob');
    docker = await DockerCli.for(engines[0]!);
    expect((await docker.login(platform.registry!.registry.host, alice.email, PASSWORD)).code).toBe(0);
    image = `${platform.registry!.registry.host}/${alice.tenantId}/app:1`;
    await docker.ok('tag', 'caas/busybox:1', image);
    await docker.ok('push', image);
    // Only the registry has it now: whichever host gets the container must pull it.
    await docker.ok('rmi', image);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
    for (const engine of engines ?? []) {
      const cli = await DockerCli.for(engine);
      if (image) await cli.run('rmi', '-f', image);
      await cli.dispose();
    }
    await docker?.dispose();
  });

  it('refuses another tenant’s private image at the API, naming the field, and places nothing', async () => {
    const refused = await container(bob, image);
    expect(refused.status).toBe(404);
    expect(refused.body.violations).toEqual([expect.objectContaining({ field: 'image' })]);
    const service = await platform.api.call('POST', '/v1/services', {
      token: bob.token,
      body: {
        name: 'stolen',
        environmentId: bob.environmentId,
        image,
        replicas: 1,
        resources: { cpus: 0.1, memoryMb: 32 },
      },
    });
    expect(service.status).toBe(404);
    expect((await platform.api.expect(200, 'GET', '/v1/containers', { token: bob.token })).body).toEqual([]);
  });

  it('pulls the owner’s image onto the host it places the container on, and runs it', async () => {
    const created = await container(alice, image);
    expect(created.status).toBe(201);
    const { containerId } = created.body;
    const view = await eventually(
      () => platform.api.expect(200, 'GET', `/v1/containers/${containerId}`, { token: alice.token }),
      ({ body }) => body.status === 'running',
      CONVERGE,
    );
    // The engine that runs it has the image under the registry's name: it pulled it.
    const running = await Promise.all(
      engines.map(async (engine) => {
        const cli = await DockerCli.for(engine);
        const names = await cli.run('ps', '--filter', `label=caas.container=${containerId}`, '--format', '{{.Image}}');
        await cli.dispose();
        return names.stdout.trim();
      }),
    );
    expect(running.filter(Boolean)).toEqual([image]);
    expect(view.body.image).toBe(image);
  });

  it('lets any tenant deploy it once its owner makes it public', async () => {
    const [repository] = (await platform.api.expect(200, 'GET', '/v1/repositories', { token: alice.token })).body;
    await platform.api.expect(200, 'PATCH', `/v1/repositories/${repository.repositoryId}`, {
      token: alice.token,
      body: { visibility: 'public' },
    });
    const created = await container(bob, image);
    expect(created.status).toBe(201);
    await eventually(
      () => platform.api.expect(200, 'GET', `/v1/containers/${created.body.containerId}`, { token: bob.token }),
      ({ body }) => body.status === 'running',
      CONVERGE,
    );
  });

  it('commits a running container to a new image of the tenant’s repository, which deploys with the change', async () => {
    const created = await container(alice, image, [
      'sh',
      '-c',
      'echo hello from the snapshot > /greeting; exec sleep 3600',
    ]);
    const { containerId } = created.body;
    await eventually(
      () => status(alice, containerId),
      (view) => view.status === 'running',
      CONVERGE,
    );

    const commit = (who: Tenant, token = who.token) =>
      platform.api.call('POST', `/v1/containers/${containerId}/commit`, {
        token,
        body: { repository: 'snapshot', tag: '1', comment: 'e2e' },
      });
    expect((await commit(bob)).status).toBe(404);
    const { body: viewerKey } = await platform.api.expect(201, 'POST', '/v1/api-keys', {
      token: alice.token,
      body: { name: 'viewer', role: 'viewer' },
    });
    expect((await commit(alice, viewerKey.secret)).status).toBe(403);

    const committed = await commit(alice);
    expect(committed.status).toBe(201);
    const snapshot = `${platform.registry!.registry.host}/${alice.tenantId}/snapshot:1`;
    expect(committed.body).toEqual({ image: snapshot, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const repositories = await eventually(
      () => platform.api.expect(200, 'GET', '/v1/repositories', { token: alice.token }).then(({ body }) => body),
      (list: Array<{ repository: string; tags: unknown[] }>) =>
        list.some((r) => r.repository.endsWith('/snapshot') && r.tags.length === 1),
      CONVERGE,
    );
    const repository = repositories.find((r: { repository: string }) => r.repository.endsWith('/snapshot'));
    expect(repository!.tags[0]).toMatchObject({ tag: '1', digest: committed.body.digest });

    // A new container of the snapshot sees the file the committed one wrote.
    const reader = await container(alice, snapshot, ['cat', '/greeting']);
    expect(reader.status).toBe(201);
    const logs = await eventually(
      () =>
        platform.api
          .expect(200, 'GET', `/v1/containers/${reader.body.containerId}/logs?tail=5`, { token: alice.token })
          .then(({ body }) => body.lines.map((line: { line: string }) => line.line)),
      (lines: string[]) => lines.includes('hello from the snapshot'),
      CONVERGE,
    );
    expect(logs).toContain('hello from the snapshot');
  });
});
