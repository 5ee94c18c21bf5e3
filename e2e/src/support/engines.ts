import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@caas/testing';

/*
 * The local Docker engines (infra/local/docker.sh) as the e2e specs need them: started
 * if they do not run, and looked at or cleaned up through the Engine API directly — the
 * platform's own view is what the specs test, so the engine is the independent witness.
 * Plain HTTP over the unix socket: the e2e project depends on no service's code.
 */

/** Engines may need an apt install and an image import on a fresh machine. */
export const ENGINE_SETUP_TIMEOUT_MS = 600_000;

/** The label scheduling puts on every container it creates: the host id it placed it on. */
const HOST_LABEL = 'caas.host';
const TENANT_LABEL = 'caas.tenant';

/**
 * The engines' unix:// endpoints. Starts them with infra/local/up.sh (idempotent) when
 * DOCKER_HOSTS is unset or its engines do not answer (.local/env keeps listing them
 * after `docker.sh stop`), then reads .local/env anew.
 */
export async function dockerHosts(): Promise<string[]> {
  const configured = process.env.DOCKER_HOSTS;
  if (configured && (await allAnswer(split(configured)))) return split(configured);
  await promisify(execFile)('bash', [join(REPO_ROOT, 'infra', 'local', 'up.sh')], {
    cwd: REPO_ROOT,
    env: { ...process.env, CAAS_WITH_DOCKER: '1' },
    timeout: ENGINE_SETUP_TIMEOUT_MS,
  });
  const started = localEnvValue('DOCKER_HOSTS');
  if (!started) throw new Error('infra/local/up.sh did not write DOCKER_HOSTS to .local/env');
  process.env.DOCKER_HOSTS = started;
  return split(started);
}

export interface EngineContainer {
  readonly Id: string;
  readonly State: string;
  readonly Labels: Record<string, string>;
}

/** Every container (running or not) on the engine carrying all of `labels` (`key=value`). */
export async function engineContainers(endpoint: string, labels: string[]): Promise<EngineContainer[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: labels }));
  const { body } = await engineCall(endpoint, 'GET', `/containers/json?all=1&filters=${filters}`);
  return JSON.parse(body) as EngineContainer[];
}

/**
 * Removes (forcibly, with anonymous volumes) every container the platform placed on
 * `hostIds`, then the networks of those containers' tenants (fresh tenants of the spec).
 */
export async function removeHostContainers(endpoints: readonly string[], hostIds: readonly string[]): Promise<void> {
  for (const endpoint of endpoints) {
    const tenants = new Set<string>();
    for (const hostId of hostIds) {
      for (const container of await engineContainers(endpoint, [`${HOST_LABEL}=${hostId}`])) {
        if (container.Labels[TENANT_LABEL]) tenants.add(container.Labels[TENANT_LABEL]);
        // Best effort: the platform's reconciler may be removing it at the same moment.
        await engineCall(endpoint, 'DELETE', `/containers/${container.Id}?force=1&v=1`).catch(() => undefined);
      }
    }
    for (const tenantId of tenants) {
      const filters = encodeURIComponent(JSON.stringify({ label: [`${TENANT_LABEL}=${tenantId}`] }));
      const { body } = await engineCall(endpoint, 'GET', `/networks?filters=${filters}`);
      for (const network of JSON.parse(body) as Array<{ Id: string }>) {
        await engineCall(endpoint, 'DELETE', `/networks/${network.Id}`).catch(() => undefined);
      }
    }
  }
}

/** Untags every image named `<registryHost>/…` (a spec's private registry), so engines do not collect them. */
export async function removeRegistryImages(endpoints: readonly string[], registryHost: string): Promise<void> {
  for (const endpoint of endpoints) {
    const filters = encodeURIComponent(JSON.stringify({ reference: [`${registryHost}/*/*`, `${registryHost}/*/*/*`] }));
    const { body } = await engineCall(endpoint, 'GET', `/images/json?filters=${filters}`);
    for (const image of JSON.parse(body) as Array<{ RepoTags?: string[] }>) {
      for (const tag of image.RepoTags ?? []) {
        if (!tag.startsWith(`${registryHost}/`)) continue;
        await engineCall(endpoint, 'DELETE', `/images/${encodeURIComponent(tag)}?force=1`).catch(() => undefined);
      }
    }
  }
}

function split(hosts: string): string[] {
  return hosts.split(',').filter(Boolean);
}

function localEnvValue(name: string): string | undefined {
  const file = join(REPO_ROOT, '.local', 'env');
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim() || undefined;
}

async function allAnswer(endpoints: string[]): Promise<boolean> {
  const answers = endpoints.map((endpoint) =>
    engineCall(endpoint, 'GET', '/_ping', 2_000).then(
      () => true,
      () => false,
    ),
  );
  return (await Promise.all(answers)).every(Boolean);
}

function engineCall(
  endpoint: string,
  method: string,
  path: string,
  timeoutMs = 10_000,
): Promise<{ status: number; body: string }> {
  const socketPath = endpoint.replace(/^unix:\/\//, '');
  return new Promise((resolve, reject) => {
    const call = request({ socketPath, method, path, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status >= 400) reject(new Error(`${method} ${path} on ${endpoint}: ${status} ${body}`));
        else resolve({ status, body });
      });
    });
    call.once('timeout', () =>
      call.destroy(new Error(`${method} ${path} on ${endpoint}: no answer in ${timeoutMs} ms`)),
    );
    call.once('error', reject);
    call.end();
  });
}
