import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { LABELS, type RuntimeContainerSpec } from '../../runtime-spec';

/** Engines may need an apt install and an image import on a fresh machine. */
export const ENGINE_SETUP_TIMEOUT_MS = 600_000;
export const IMAGE = 'caas/busybox:1';
/** Every test object carries it, so afterAll finds exactly what this run made. */
export const TEST_RUN_LABEL = 'caas.test-run';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'infra', 'local', 'up.sh'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root (infra/local/up.sh) not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

/**
 * The engines' endpoints (host-1, host-2, …). Starts the local engines with
 * infra/local/up.sh (idempotent) when DOCKER_HOSTS is unset, or when it names the local
 * engines (it came from .local/env) and they do not answer: .local/env keeps listing
 * them after `docker.sh stop`. Then reads the env file anew, since jest.setup.js read it
 * before the engines ran. Engines named by the caller's own DOCKER_HOSTS are never started.
 */
export async function dockerHosts(): Promise<string[]> {
  const root = repoRoot();
  const configured = process.env.DOCKER_HOSTS;
  if (configured && (await allAnswer(configured))) return split(configured);
  if (configured && configured !== localEnvValue(root)) {
    throw new Error(`The Docker engines in DOCKER_HOSTS (${configured}) do not answer`);
  }
  await promisify(execFile)('bash', [join(root, 'infra', 'local', 'up.sh')], {
    cwd: root,
    env: { ...process.env, CAAS_WITH_DOCKER: '1' },
    timeout: ENGINE_SETUP_TIMEOUT_MS,
  });
  const started = localEnvValue(root);
  if (!started) throw new Error('infra/local/up.sh did not write DOCKER_HOSTS to .local/env');
  process.env.DOCKER_HOSTS = started;
  return split(started);
}

function split(hosts: string): string[] {
  return hosts.split(',').filter(Boolean);
}

/** DOCKER_HOSTS as .local/env has it, if it does. */
function localEnvValue(root: string): string | undefined {
  const file = join(root, '.local', 'env');
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('DOCKER_HOSTS='));
  return line?.slice('DOCKER_HOSTS='.length).trim() || undefined;
}

async function allAnswer(hosts: string): Promise<boolean> {
  const answers = split(hosts).map((endpoint) =>
    new Docker({ socketPath: endpoint.replace(/^unix:\/\//, ''), timeout: 2_000 }).ping().then(
      () => true,
      () => false,
    ),
  );
  return (await Promise.all(answers)).every(Boolean);
}

/** A raw client for what the driver does not expose (HostConfig, pids, cleanup). */
export function rawDocker(endpoint: string): Docker {
  return new Docker({ socketPath: endpoint.replace(/^unix:\/\//, '') });
}

export function newRunId(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

/** A port that was free on 127.0.0.1 a moment ago (the platform allocates them in production). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A small valid spec for `tenantId`; `name` must be unique per run. */
export function testSpec(
  runId: string,
  tenantId: string,
  name: string,
  overrides: Partial<RuntimeContainerSpec> = {},
): RuntimeContainerSpec {
  return {
    name: `caas-${runId}-${name}`,
    image: IMAGE,
    command: ['sleep', '300'],
    env: {},
    ports: [],
    resources: { cpus: 0.5, memoryMb: 64, pidsLimit: 64 },
    volumes: [],
    restartPolicy: 'no',
    network: `caas-tenant-${tenantId}`,
    ...overrides,
    labels: {
      [LABELS.tenant]: tenantId,
      [LABELS.container]: `${runId}-${name}`,
      [TEST_RUN_LABEL]: runId,
      ...overrides.labels,
    },
  };
}

/** Removes this run's containers, and the networks and volumes of its tenants (ids start with the run id). */
export async function cleanUp(endpoint: string, runId: string): Promise<void> {
  const docker = rawDocker(endpoint);
  const containers = await docker.listContainers({ all: true, filters: { label: [`${TEST_RUN_LABEL}=${runId}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
  const ofRun = (labels?: Record<string, string> | null) => labels?.[LABELS.tenant]?.startsWith(runId) === true;
  const networks = await docker.listNetworks({ filters: { label: [LABELS.tenant] } });
  await Promise.all(networks.filter((n) => ofRun(n.Labels)).map((n) => docker.getNetwork(n.Id).remove()));
  const { Volumes } = await docker.listVolumes({ filters: { label: [LABELS.tenant] } });
  await Promise.all((Volumes ?? []).filter((v) => ofRun(v.Labels)).map((v) => docker.getVolume(v.Name).remove()));
}
