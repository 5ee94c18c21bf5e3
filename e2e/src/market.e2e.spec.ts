import { randomUUID } from 'node:crypto';
import { eventually } from '@caas/testing';
import { type Api, type Json, PASSWORD } from './support/api';
import { DockerCli } from './support/docker-cli';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';

/*
 * The image market end to end: a tenant pushes an image with the docker CLI and submits
 * it, a platform admin approves it, and a docker CLI that never logged in pulls and runs
 * it from `library/…` — against a real registry whose token realm is the gateway.
 */

const ADMIN = { email: 'market-e2e-admin@example.com', password: 'market e2e admin password' };
const BASE_IMAGE = 'caas/busybox:1';
const NOTIFIED = { timeoutMs: 20_000, intervalMs: 200 };

interface Person {
  readonly email: string;
  readonly tenantId: string;
  readonly userToken: string;
  readonly token: string;
  readonly docker: DockerCli;
}

describe('the image market (gateway, tenancy, images as child processes; a real registry and engine)', () => {
  let platform: Platform;
  let api: Api;
  let engine: string;
  let registryHost: string;
  let adminToken: string;
  let alice: Person;
  let bob: Person;
  let aliceBusybox: { repositoryId: string; digest: string };
  const clis: DockerCli[] = [];
  const references: string[] = [];
  /** Names in `library/` are the whole registry's: unique per run. */
  const marketName = `busybox-${randomUUID().slice(0, 8)}`;

  const person = async (label: string): Promise<Person> => {
    const user = await api.signUp(label);
    const tenant = await api.createTenant(user.token);
    const docker = await DockerCli.for(engine);
    clis.push(docker);
    expect((await docker.login(registryHost, user.email, PASSWORD)).code).toBe(0);
    return { email: user.email, tenantId: tenant.tenantId, userToken: user.token, token: tenant.token, docker };
  };
  /** Pushes the base image as `<tenant>/<name>:1` and waits until the platform recorded it. */
  const pushOwn = async (who: Person, name: string) => {
    const reference = `${registryHost}/${who.tenantId}/${name}:1`;
    await who.docker.ok('tag', BASE_IMAGE, reference);
    references.push(reference);
    await who.docker.ok('push', reference);
    const [repository] = await eventually(
      async () =>
        ((await api.expect(200, 'GET', '/v1/repositories', { token: who.token })).body as Json[]).filter(
          (r) => r.repository === `${who.tenantId}/${name}`,
        ),
      (list) => list[0]?.tags.length === 1,
      NOTIFIED,
    );
    return { repositoryId: repository.repositoryId as string, digest: repository.tags[0].digest as string };
  };
  const submit = (token: string, body: Record<string, unknown>) =>
    api.call('POST', '/v1/market/submissions', { token, body });
  const submissionsOf = async (token: string, query = '') =>
    (await api.expect(200, 'GET', `/v1/market/submissions${query}`, { token })).body as Json[];

  beforeAll(async () => {
    [engine] = await dockerHosts();
    platform = await Platform.start({ admin: ADMIN, images: true });
    api = platform.api;
    registryHost = platform.registry!.registry.host;
    adminToken = await api.login(ADMIN.email, ADMIN.password);
    alice = await person('alice');
    bob = await person('bob');
    aliceBusybox = await pushOwn(alice, 'busybox');
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (process.env.DEBUG_MARKET) {
      console.log('IMAGES', platform.images?.logs().slice(-4000));
      console.log('GATEWAY', platform.gateway.process.logs().slice(-3000));
    }
    if (engine && references.length) await clis[0]?.run('rmi', '-f', ...new Set(references));
    await Promise.all(clis.map((cli) => cli.dispose()));
    await platform?.stop();
  });

  it('refuses bad submissions naming the field and rule, a viewer, and another tenant’s repository', async () => {
    const valid = { repositoryId: aliceBusybox.repositoryId, tag: '1', name: marketName, description: 'Busybox' };

    const noDescription = await submit(alice.token, { ...valid, description: undefined });
    expect(noDescription.status).toBe(400);
    expect(new Set(noDescription.body.violations.map((v: Json) => v.field))).toEqual(new Set(['description']));
    const badName = await submit(alice.token, { ...valid, name: 'Not/A Name' });
    expect(badName.status).toBe(400);
    expect(badName.body.violations).toEqual([expect.objectContaining({ field: 'name', rule: 'matches' })]);
    const tooLong = await submit(alice.token, { ...valid, description: 'x'.repeat(1_001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.violations).toEqual([expect.objectContaining({ field: 'description', rule: 'maxLength' })]);

    const viewerKey = (
      await api.expect(201, 'POST', '/v1/api-keys', { token: alice.token, body: { name: 'viewer', role: 'viewer' } })
    ).body.secret as string;
    await api.expect(403, 'POST', '/v1/market/submissions', { token: viewerKey, body: valid });

    await api.expect(404, 'POST', '/v1/market/submissions', { token: bob.token, body: valid });
    await api.expect(404, 'POST', '/v1/market/submissions', { token: alice.token, body: { ...valid, tag: 'nope' } });
    expect(await submissionsOf(alice.token)).toEqual([]);
  });

  it('a tenant submits its tag; a platform admin approves it; it is in the market with its description', async () => {
    const usageGuide = '```\ndocker run --rm <image> echo ok\n```';
    const submitted = await api.expect(201, 'POST', '/v1/market/submissions', {
      token: alice.token,
      body: {
        repositoryId: aliceBusybox.repositoryId,
        tag: '1',
        name: marketName,
        description: 'Busybox, curated',
        usageGuide,
      },
    });
    expect(submitted.body).toMatchObject({
      tenantId: alice.tenantId,
      status: 'pending',
      digest: aliceBusybox.digest,
      marketRepository: `library/${marketName}`,
    });
    const { submissionId } = submitted.body;

    expect((await submissionsOf(alice.token)).map((s) => s.submissionId)).toEqual([submissionId]);
    expect(await submissionsOf(bob.token)).toEqual([]);
    const pending = await submissionsOf(adminToken, '?status=pending');
    expect(pending.map((s) => s.submissionId)).toContain(submissionId);
    await api.expect(400, 'GET', '/v1/market/submissions?status=maybe', { token: adminToken });

    // Deciding is the platform's: not the submitting tenant's, not its tenant token's.
    await api.expect(403, 'POST', `/v1/market/submissions/${submissionId}/approve`, { token: alice.token });
    const approved = await api.expect(200, 'POST', `/v1/market/submissions/${submissionId}/approve`, {
      token: adminToken,
    });
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: expect.stringMatching(/^user:/) });

    // Any authenticated caller reads the market: a tenant token, a user token with no tenant.
    for (const token of [bob.token, bob.userToken]) {
      const market = (await api.expect(200, 'GET', '/v1/market', { token })).body as Json[];
      const image = market.find((m) => m.repository === `library/${marketName}`);
      expect(image).toMatchObject({
        repositoryId: approved.body.marketRepositoryId,
        description: 'Busybox, curated',
        usageGuide,
        reference: `${registryHost}/library/${marketName}`,
        tags: [
          expect.objectContaining({
            tag: '1',
            digest: aliceBusybox.digest,
            pull: `${registryHost}/library/${marketName}:1`,
          }),
        ],
      });
    }
    const one = await api.expect(200, 'GET', `/v1/market/${approved.body.marketRepositoryId}`, { token: bob.token });
    expect(one.body.repository).toBe(`library/${marketName}`);
    // A tenant's own repository is not a market image.
    await api.expect(404, 'GET', `/v1/market/${aliceBusybox.repositoryId}`, { token: bob.token });
    await api.expect(401, 'GET', '/v1/market');
  });

  it('anyone pulls and runs it without logging in; a tenant cannot push into library/', async () => {
    const reference = `${registryHost}/library/${marketName}:1`;
    const anonymous = await DockerCli.for(engine);
    clis.push(anonymous);
    references.push(reference);
    const pulled = await anonymous.run('pull', reference);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain(aliceBusybox.digest);
    const ran = await anonymous.run('run', '--rm', reference, 'echo', 'ok');
    expect(ran.code).toBe(0);
    expect(ran.stdout.trim()).toBe('ok');

    const intruder = `${registryHost}/library/${marketName}:evil`;
    await alice.docker.ok('tag', BASE_IMAGE, intruder);
    references.push(intruder);
    const pushed = await alice.docker.run('push', intruder);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/denied|unauthorized/i);
  });

  it('a submission is decided once: approving twice, or rejecting an approved one, is a conflict', async () => {
    const [approved] = await submissionsOf(alice.token, '?status=approved');
    const again = await api.call('POST', `/v1/market/submissions/${approved.submissionId}/approve`, {
      token: adminToken,
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already approved/);
    await api.expect(409, 'POST', `/v1/market/submissions/${approved.submissionId}/reject`, {
      token: adminToken,
      body: { reason: 'Changed my mind' },
    });
    await api.expect(404, 'POST', `/v1/market/submissions/${randomUUID()}/approve`, { token: adminToken });
  });

  it('a rejection needs a reason, and the submitter sees it', async () => {
    const { submissionId } = (
      await api.expect(201, 'POST', '/v1/market/submissions', {
        token: alice.token,
        body: { repositoryId: aliceBusybox.repositoryId, tag: '1', name: `${marketName}-2`, description: 'Again' },
      })
    ).body;
    const noReason = await api.call('POST', `/v1/market/submissions/${submissionId}/reject`, {
      token: adminToken,
      body: {},
    });
    expect(noReason.status).toBe(400);
    expect(new Set(noReason.body.violations.map((v: Json) => v.field))).toEqual(new Set(['reason']));
    await api.expect(200, 'POST', `/v1/market/submissions/${submissionId}/reject`, {
      token: adminToken,
      body: { reason: 'Same image as the one already published' },
    });

    const rejected = (await submissionsOf(alice.token)).find((s) => s.submissionId === submissionId);
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'Same image as the one already published' });
    await api.expect(409, 'POST', `/v1/market/submissions/${submissionId}/approve`, { token: adminToken });
    const market = (await api.expect(200, 'GET', '/v1/market', { token: alice.token })).body as Json[];
    expect(market.map((m) => m.repository)).not.toContain(`library/${marketName}-2`);
  });

  it('publishes the digest submitted, though the tag moved since', async () => {
    const moving = await pushOwn(alice, 'moving');
    const { submissionId } = (
      await api.expect(201, 'POST', '/v1/market/submissions', {
        token: alice.token,
        body: { repositoryId: moving.repositoryId, tag: '1', name: `${marketName}-moving`, description: 'Moving' },
      })
    ).body;
    // Another image (its own config, busybox's layer) pushed over the tag after submitting.
    const reference = `${registryHost}/${alice.tenantId}/moving:1`;
    const container = `market-e2e-${randomUUID().slice(0, 8)}`;
    await alice.docker.ok('create', '--name', container, BASE_IMAGE);
    try {
      await alice.docker.ok('commit', '--change', 'LABEL moved=yes', container, reference);
    } finally {
      await alice.docker.run('rm', '-f', container);
    }
    await alice.docker.ok('push', reference);
    // The base image keeps the digest reference of the tag's first push: removed with the rest.
    references.push(`${registryHost}/${alice.tenantId}/moving@${moving.digest}`);
    await eventually(
      async () =>
        (await api.expect(200, 'GET', `/v1/repositories/${moving.repositoryId}`, { token: alice.token })).body,
      (repository: Json) => repository.tags[0]?.digest !== moving.digest,
      NOTIFIED,
    );

    const approved = await api.expect(200, 'POST', `/v1/market/submissions/${submissionId}/approve`, {
      token: adminToken,
    });
    const image = await api.expect(200, 'GET', `/v1/market/${approved.body.marketRepositoryId}`, { token: bob.token });
    expect(image.body.tags).toEqual([expect.objectContaining({ tag: '1', digest: moving.digest })]);
  });

  it('a market name another tenant published is a conflict on approval', async () => {
    const bobBusybox = await pushOwn(bob, 'busybox');
    const { submissionId } = (
      await api.expect(201, 'POST', '/v1/market/submissions', {
        token: bob.token,
        body: { repositoryId: bobBusybox.repositoryId, tag: '1', name: marketName, description: 'Mine now' },
      })
    ).body;
    const taken = await api.call('POST', `/v1/market/submissions/${submissionId}/approve`, { token: adminToken });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/taken by another tenant/);
    const [still] = (await submissionsOf(bob.token)).filter((s) => s.submissionId === submissionId);
    expect(still!.status).toBe('pending');
    const market = (await api.expect(200, 'GET', '/v1/market', { token: bob.token })).body as Json[];
    expect(market.find((m) => m.repository === `library/${marketName}`)!.description).toBe('Busybox, curated');
  });
});
