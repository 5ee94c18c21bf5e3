/**
 * API-to-running benchmark (issue 4, point 9b): the time from `POST /v1/containers` to a
 * running container, against `docker run -d` of the same image and command on the same
 * engine, measured in the same run.
 *
 *   npm run bench:scheduling:run
 *   # = node -r @swc-node/register bench/scheduling/api-to-running.ts, with .local/env loaded
 *
 * What runs: the platform as a user hits it — tenancy, scheduling and the gateway as
 * child processes (`node -r @swc-node/register services/<name>/src/main.ts`, as
 * infra/local/services.sh runs them) on a scratch database of their own and a private
 * nats-server, so a running platform's data and NATS are never touched. The first local
 * Docker engine (dockerHosts(); BENCH_ENGINE picks another, 1-based) is the only host:
 * registered by the scheduling service at start (SCHEDULING_BOOTSTRAP_HOSTS, as `npm start`
 * does), or, by a scheduling service without it, through `POST /v1/hosts` by tenancy's
 * bootstrap platform admin. A user signs up, creates a tenant, moves it to the enterprise
 * plan and creates an environment.
 *
 * Then, BENCH_WARMUP (2) + BENCH_RUNS (20) rounds, each timing four ways of getting one
 * `caas/busybox:1 sleep 3600` container running on that engine, in alternating order
 * (A B C D, then D C B A, …) to cancel drift:
 *
 *   platform   t0 before `POST /v1/containers` (BENCH_CPUS 0.5, BENCH_MEMORY_MB 64, no
 *              ports); t1 when the engine's event stream delivers `start` for the container
 *              labelled caas.container=<id>. Also: when the HTTP 201 arrived.
 *   docker run t0 before spawning `docker -H unix://… run -d caas/busybox:1 sleep 3600`;
 *              t1 when the CLI exits (it returns once the container started). The target's
 *              baseline.
 *   dockerode  createContainer + start through dockerode (what `docker run -d` does,
 *              without the CLI's process start); t1 when start() resolves.
 *   dockerode, platform options
 *              the same, with exactly the create options the platform sends (the spec it
 *              recorded for its first container, through the driver's containerCreateOptions:
 *              the tenant's own bridge network, cpu/memory/pids limits, hardening, log
 *              options), only its labels and name replaced. Informational: platform minus
 *              this is the control plane's cost, this minus `dockerode` the engine's cost of
 *              the platform's container options.
 *
 * Why not 0.05 CPU: a CPU quota that small (cpu.max 5 ms per 100 ms) throttles runc's init
 * inside the container's cgroup and adds ~230 ms to every start on this machine, for
 * `docker run --cpus 0.05` as much as for the platform.
 *
 * After each run, untimed, its container goes: the platform's stopped and deleted through
 * the API (and waited for until the engine no longer has it), a baseline one removed; so
 * every run meets the same engine, and one host's CPUs never run out. At the end anything
 * left is removed, the services stopped and the scratch database dropped.
 *
 * The breakdown comes from the engine's `create`/`start` events (engine clock — the same
 * machine's) and the `created` column of the container stream's events in the scratch
 * database (PostgreSQL's clock_timestamp(), same machine).
 *
 * Knobs: BENCH_RUNS, BENCH_WARMUP, BENCH_PAUSE_MS (between timed runs, default 300),
 * BENCH_ENGINE, BENCH_CPUS, BENCH_MEMORY_MB.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { Client } from 'pg';
import { SHARED_POOL_ENVIRONMENT_ID } from '@caas/contracts';
import {
  type PrivateNats,
  type ScratchDatabase,
  type ServiceProcess,
  createScratchDatabase,
  freePort,
  startPrivateNats,
  startServiceProcess,
} from '@caas/testing';
import { Api } from '../../e2e/src/support/api';
import { configFromEnv } from '../../services/scheduling/src/scheduling.config';
import { containerCreateOptions } from '../../services/scheduling/src/runtime/docker/container-config';
import { LABELS, type RuntimeContainerSpec } from '../../services/scheduling/src/runtime/runtime-spec';
import { IMAGE, dockerHosts, rawDocker } from '../../services/scheduling/src/runtime/docker/test-support/engines';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 300);
const ENGINE = Number(process.env.BENCH_ENGINE ?? 1);
const COMMAND = ['sleep', '3600'];
const CPUS = Number(process.env.BENCH_CPUS ?? 0.5);
const MEMORY_MB = Number(process.env.BENCH_MEMORY_MB ?? 64);
const TARGET = 1.2;
/** On every baseline container, so the clean-up finds exactly this run's. */
const BENCH_LABEL = 'caas.bench-run';
const RUN_TIMEOUT_MS = 60_000;

type Method = 'platform' | 'cli' | 'cliNetwork' | 'dockerode' | 'same';
const METHODS: readonly Method[] = ['platform', 'cli', 'cliNetwork', 'dockerode', 'same'];

interface Sample {
  /** t0 → running, as the method defines it (ms). */
  readonly total: number;
  /** t0 → the engine's `create` event (engine clock), ms. */
  readonly create: number;
  /** t0 → the engine's `start` event (engine clock), ms. */
  readonly start: number;
  /** t0 → the bench received the `start` event, ms. */
  readonly startSeen: number;
  /** Platform only: t0 → HTTP 201 received. */
  readonly answered?: number;
  /** Baselines: the engine's container id. */
  readonly engineId?: string;
  /** Platform only: the platform's container id. */
  readonly containerId?: string;
  /** Platform only: t0 → ContainerScheduled committed (its `created`), and → ContainerStarted recorded. */
  readonly scheduled?: number;
  readonly recorded?: number;
}

interface EngineEvent {
  readonly engineMs: number;
  readonly receivedMs: number;
}

/**
 * The engine's container `create` and `start` events, from before the first run to the
 * end: keyed by engine id and by the platform's caas.container label, so an event that
 * comes before the caller knows the id (the start can beat the HTTP answer) is kept.
 */
class EngineEvents {
  private readonly seen = new Map<string, EngineEvent>();
  private readonly waiters = new Map<string, Array<(event: EngineEvent) => void>>();
  private stream?: NodeJS.ReadableStream & { destroy?: () => void };

  constructor(private readonly docker: Docker) {}

  async open(): Promise<void> {
    this.stream = (await this.docker.getEvents({
      filters: JSON.stringify({ type: ['container'], event: ['create', 'start'] }),
    })) as NodeJS.ReadableStream & { destroy?: () => void };
    let buffer = '';
    this.stream.on('data', (chunk: Buffer) => {
      const receivedMs = performance.now();
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) this.deliver(JSON.parse(line), receivedMs);
      }
    });
  }

  close(): void {
    this.stream?.destroy?.();
  }

  /** `action` (create/start) of the container with this engine id or caas.container label. */
  wait(action: 'create' | 'start', key: string, timeoutMs = RUN_TIMEOUT_MS): Promise<EngineEvent> {
    const id = `${action}:${key}`;
    const known = this.seen.get(id);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${action} event for ${key} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const list = this.waiters.get(id) ?? [];
      list.push((event) => {
        clearTimeout(timer);
        resolve(event);
      });
      this.waiters.set(id, list);
    });
  }

  private deliver(message: DockerEvent, receivedMs: number): void {
    const action = message.Action ?? message.status;
    if (action !== 'create' && action !== 'start') return;
    const event: EngineEvent = { engineMs: engineToPerf(message.timeNano), receivedMs };
    const keys = [message.Actor?.ID ?? message.id];
    const label = message.Actor?.Attributes?.[LABELS.container];
    if (label) keys.push(label);
    for (const key of keys) {
      if (!key) continue;
      const id = `${action}:${key}`;
      this.seen.set(id, event);
      for (const resolve of this.waiters.get(id) ?? []) resolve(event);
      this.waiters.delete(id);
    }
  }
}

interface DockerEvent {
  readonly status?: string;
  readonly id?: string;
  readonly Action?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Record<string, string> };
  readonly timeNano: number;
}

/** An epoch time (ns from the engine, or ms) on this process's performance.now() clock. */
function engineToPerf(timeNano: number): number {
  return timeNano / 1e6 - performance.timeOrigin;
}

function epochMsToPerf(epochMs: number): number {
  return epochMs - performance.timeOrigin;
}

interface Platform {
  readonly api: Api;
  readonly token: string;
  readonly tenantId: string;
  readonly environmentId: string;
  readonly hostId: string;
  readonly db: Client;
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set (run `npm run infra:up`)');
  const endpoints = await dockerHosts();
  const endpoint = endpoints[ENGINE - 1];
  if (!endpoint) throw new Error(`BENCH_ENGINE=${ENGINE}, but there are ${endpoints.length} engines`);
  const docker = rawDocker(endpoint);
  const runId = `b${randomBytes(4).toString('hex')}`;

  console.log('\nAPI → running benchmark (real services, real engine)\n');
  console.log(
    `Engine: ${endpoint} (docker ${(await docker.version()).Version}); image ${IMAGE}, command ${COMMAND.join(' ')}`,
  );
  console.log(
    `Runs: ${WARMUP} warm-up + ${RUNS} measured per method, alternating order, ${PAUSE_MS} ms between runs; ` +
      `${CPUS} cpu, ${MEMORY_MB} MB\n`,
  );

  const stack: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const step of stack.splice(0).reverse()) {
      await step().catch((error: unknown) => console.error(`clean-up: ${String(error)}`));
    }
  };
  const interrupted = () => {
    console.error('\ninterrupted: cleaning up');
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const platform = await startPlatform(endpoint, stack);
    // Undone in reverse: the platform's containers, the baseline ones, then the tenant's network.
    stack.push(() => removeNetwork(docker, `caas-tenant-${platform.tenantId}`));
    stack.push(() => removeBaselineContainers(docker, runId));
    const events = new EngineEvents(docker);
    await events.open();
    stack.push(async () => events.close());
    stack.push(() => deletePlatformContainers(platform, docker));

    const samples: Record<Method, Sample[]> = { platform: [], cli: [], cliNetwork: [], dockerode: [], same: [] };
    let platformOptions: Docker.ContainerCreateOptions | undefined;
    let sameRuns = 0;
    const runners: Record<Method, () => Promise<Sample>> = {
      platform: async () => {
        const sample = await platformRun(platform, events);
        platformOptions ??= await recordedCreateOptions(platform.db, sample.containerId!, runId);
        return sample;
      },
      cli: () => cliRun(endpoint, runId, events),
      // What isolation asks of every tenant container: its own bridge network, as the platform's.
      cliNetwork: () => cliRun(endpoint, runId, events, `caas-tenant-${platform.tenantId}`),
      dockerode: () => dockerodeRun(docker, { Image: IMAGE, Cmd: COMMAND, Labels: { [BENCH_LABEL]: runId } }, events),
      same: () => dockerodeRun(docker, { ...platformOptions!, name: `caas-bench-${runId}-${++sameRuns}` }, events),
    };
    for (let round = 0; round < WARMUP + RUNS; round++) {
      // The platform goes first in round 0: the other runs use the network and options it made.
      const order = round % 2 === 0 ? METHODS : [...METHODS].reverse();
      const line: string[] = [];
      for (const method of order) {
        await sleep(PAUSE_MS);
        const sample = await runners[method]();
        if (round >= WARMUP) samples[method].push(sample);
        line.push(`${method} ${sample.total.toFixed(0)}`);
        await dispose(platform, docker, sample);
      }
      console.log(
        `  ${round < WARMUP ? 'warm-up' : `run ${String(round - WARMUP + 1).padStart(2)}`}: ${line.join(', ')} ms`,
      );
    }
    report(samples);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    console.log('\nCleaning up (containers through the API, baseline containers, services, scratch database)…');
    await cleanUp();
  }
}

/** Tenancy, scheduling and gateway on a scratch database and a private NATS; one host, one tenant. */
async function startPlatform(endpoint: string, stack: Array<() => Promise<unknown>>): Promise<Platform> {
  const database: ScratchDatabase = await createScratchDatabase('caas_bench_run');
  stack.push(() => database.drop());
  const nats: PrivateNats | null = await startPrivateNats({ jetstream: true });
  if (!nats) throw new Error('no nats-server binary (`npm run infra:up` installs it)');
  stack.push(() => nats.stop());
  const admin = {
    email: `bench-admin-${randomUUID().slice(0, 8)}@example.com`,
    password: randomBytes(18).toString('base64url'),
  };
  const common = { DATABASE_URL: database.url, NATS_URL: nats.url };
  const services: ServiceProcess[] = [];
  stack.push(() => Promise.allSettled(services.map((service) => service.stop())));
  const port = await freePort();
  // The scheduling service registers the engine itself when it knows SCHEDULING_BOOTSTRAP_HOSTS
  // (as `npm start` runs it); without it, the platform admin registers it through the API.
  const bootstrap = 'bootstrapHosts' in configFromEnv({ DATABASE_URL: database.url, NATS_URL: nats.url });
  const started = await Promise.all([
    startServiceProcess('tenancy', {
      ...common,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    }).then(track(services)),
    startServiceProcess('scheduling', bootstrap ? { ...common, SCHEDULING_BOOTSTRAP_HOSTS: endpoint } : common, {
      ready: { logLine: /listening on NATS/ },
    }).then(track(services)),
    startServiceProcess('gateway', {
      ...common,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      HOST: '127.0.0.1',
      PORT: String(port),
    }).then(track(services)),
  ]);
  const api = new Api(`http://127.0.0.1:${port}`);
  console.log(
    `Platform: ${started.map((s) => `${s.name} (pid ${s.pid})`).join(', ')} on ${database.url.replace(/\/\/[^@]*@/, '//')}`,
  );

  const adminToken = await api.login(admin.email, admin.password);
  const { body: hosts } = await api.expect(200, 'GET', '/v1/hosts', { token: adminToken });
  const host: { hostId: string } =
    (hosts as Array<{ hostId: string; endpoint: string }>).find((h) => h.endpoint === endpoint) ??
    (
      await api.expect(201, 'POST', '/v1/hosts', {
        token: adminToken,
        body: { endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID, labels: {} },
      })
    ).body;
  console.log(
    `Host ${host.hostId}: ${endpoint}, registered ${bootstrap ? 'by scheduling at start (SCHEDULING_BOOTSTRAP_HOSTS)' : 'through POST /v1/hosts'}`,
  );
  await until('the host is up', async () => {
    const { body } = await api.expect(200, 'GET', `/v1/hosts/${host.hostId}`, { token: adminToken });
    return body.status === 'up';
  });

  const user = await api.signUp('bench');
  const tenant = await api.createTenant(user.token);
  await api.expect(200, 'POST', '/v1/tenant/plan', { token: tenant.token, body: { planId: 'enterprise' } });
  const { body: environment } = await api.expect(201, 'POST', '/v1/environments', {
    token: tenant.token,
    body: { name: 'bench' },
  });
  await until('the plan is in force', async () => {
    const { body } = await api.expect(200, 'GET', '/v1/quotas', { token: tenant.token });
    return body.planId === 'enterprise';
  });
  const db = new Client({ connectionString: database.url });
  await db.connect();
  stack.push(() => db.end());
  console.log(`Host up; tenant ${tenant.tenantId} on the enterprise plan, environment ${environment.environmentId}\n`);
  return {
    api,
    token: tenant.token,
    tenantId: tenant.tenantId,
    environmentId: environment.environmentId,
    hostId: host.hostId,
    db,
  };
}

async function platformRun(platform: Platform, events: EngineEvents): Promise<Sample> {
  const body = {
    environmentId: platform.environmentId,
    image: IMAGE,
    command: COMMAND,
    resources: { cpus: CPUS, memoryMb: MEMORY_MB },
  };
  const t0 = performance.now();
  const answer = await platform.api.call('POST', '/v1/containers', { token: platform.token, body });
  const answered = performance.now() - t0;
  if (answer.status !== 201)
    throw new Error(`POST /v1/containers answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const { containerId } = answer.body as { containerId: string };
  const started = await events.wait('start', containerId);
  const created = await events.wait('create', containerId);
  const total = started.receivedMs - t0;
  const recorded = await waitForStreamEvent(platform.db, containerId, 'ContainerStarted');
  const scheduled = await waitForStreamEvent(platform.db, containerId, 'ContainerScheduled');
  return {
    total,
    containerId,
    ...engineSteps(t0, created, started),
    answered,
    scheduled: scheduled - t0,
    recorded: recorded - t0,
  };
}

/** When the container stream's event of `type` was written (perf clock), once it is. */
async function waitForStreamEvent(db: Client, containerId: string, type: string): Promise<number> {
  let epochMs: number | undefined;
  await until(`${type} on container-${containerId}`, async () => {
    const { rows } = await db.query<{ ms: string }>(
      `select extract(epoch from created) * 1000 as ms from es.events where stream_id = $1 and event_type = $2 order by revision limit 1`,
      [`container-${containerId}`, type],
    );
    epochMs = rows[0] ? Number(rows[0].ms) : undefined;
    return epochMs !== undefined;
  });
  return epochMsToPerf(epochMs!);
}

async function cliRun(endpoint: string, runId: string, events: EngineEvents, network?: string): Promise<Sample> {
  const onNetwork = network ? ['--network', network] : [];
  const args = ['-H', endpoint, 'run', '-d', ...onNetwork, '--label', `${BENCH_LABEL}=${runId}`, IMAGE, ...COMMAND];
  const t0 = performance.now();
  const { code, stdout, stderr } = await run('docker', args);
  const total = performance.now() - t0;
  if (code !== 0) throw new Error(`docker ${args.join(' ')} exited ${code}: ${stderr}`);
  const engineId = stdout.trim();
  const [created, started] = await Promise.all([events.wait('create', engineId), events.wait('start', engineId)]);
  return { total, engineId, ...engineSteps(t0, created, started) };
}

/**
 * The create options the platform's driver sent for `containerId`: its recorded spec
 * through containerCreateOptions, with this run's label instead of the platform's (so
 * the platform's reconciler and event feeds never see the copies).
 */
async function recordedCreateOptions(
  db: Client,
  containerId: string,
  runId: string,
): Promise<Docker.ContainerCreateOptions> {
  const { rows } = await db.query<{ spec: RuntimeContainerSpec }>(
    `select data->'spec' as spec from es.events where stream_id = $1 and event_type = 'ContainerSpecRecorded'`,
    [`container-${containerId}`],
  );
  if (!rows[0]) throw new Error(`no ContainerSpecRecorded on container-${containerId}`);
  return { ...containerCreateOptions(rows[0].spec), Labels: { [BENCH_LABEL]: runId } };
}

async function dockerodeRun(
  docker: Docker,
  options: Docker.ContainerCreateOptions,
  events: EngineEvents,
): Promise<Sample> {
  const t0 = performance.now();
  const container = await docker.createContainer(options);
  await container.start();
  const total = performance.now() - t0;
  const engineId = container.id;
  const [created, started] = await Promise.all([events.wait('create', engineId), events.wait('start', engineId)]);
  return { total, engineId, ...engineSteps(t0, created, started) };
}

function engineSteps(t0: number, created: EngineEvent, started: EngineEvent) {
  return { create: created.engineMs - t0, start: started.engineMs - t0, startSeen: started.receivedMs - t0 };
}

/**
 * Removes what a run made, untimed, so every run starts on the same engine: the
 * platform's container stopped at once and deleted through the API (and gone from the
 * engine), a baseline container removed directly.
 */
async function dispose(platform: Platform, docker: Docker, sample: Sample): Promise<void> {
  if (sample.engineId) {
    await docker.getContainer(sample.engineId).remove({ force: true });
    return;
  }
  const { api, token } = platform;
  const path = `/v1/containers/${sample.containerId}`;
  await api.expect(200, 'POST', `${path}/stop`, { token, body: { timeoutSeconds: 0 } });
  await api.expect(200, 'DELETE', path, { token });
  const filters = { label: [`${LABELS.container}=${sample.containerId}`] };
  await until(`the engine has removed ${sample.containerId}`, async () => {
    return (await docker.listContainers({ all: true, filters })).length === 0;
  });
}

// ── report ────────────────────────────────────────────────────────────────────

function report(samples: Record<Method, Sample[]>): void {
  const totals = (method: Method) => samples[method].map((s) => s.total);
  const rows: Array<[string, number[]]> = [
    ['platform: POST /v1/containers → start event received', totals('platform')],
    ['`docker run -d` (CLI) → exit', totals('cli')],
    ["`docker run -d --network <the tenant's network>` (CLI) → exit", totals('cliNetwork')],
    ['dockerode createContainer + start', totals('dockerode')],
    ["dockerode, the platform's create options", totals('same')],
  ];
  console.log(`\nTime to a running container, ${RUNS} runs each (after ${WARMUP} warm-up runs), ms\n`);
  console.log('| method | p50 | p90 | mean | min | max |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, values] of rows) {
    const s = stats(values);
    console.log(`| ${name} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.mean)} | ${ms(s.min)} | ${ms(s.max)} |`);
  }

  const platform = stats(totals('platform'));
  const cli = stats(totals('cli'));
  const cliNetwork = stats(totals('cliNetwork'));
  const dockerode = stats(totals('dockerode'));
  const same = stats(totals('same'));
  console.log('\nRatios (platform / baseline)\n');
  console.log('| baseline | ratio of medians | ratio of means | target |');
  console.log('|---|---|---|---|');
  console.log(
    `| docker run (CLI) | ${(platform.p50 / cli.p50).toFixed(2)} | ${(platform.mean / cli.mean).toFixed(2)} | ≤ ${TARGET} ${platform.p50 / cli.p50 <= TARGET ? '✓' : '✗'} |`,
  );
  console.log(
    `| docker run --network (CLI) | ${(platform.p50 / cliNetwork.p50).toFixed(2)} | ${(platform.mean / cliNetwork.mean).toFixed(2)} | – |`,
  );
  console.log(
    `| dockerode create + start | ${(platform.p50 / dockerode.p50).toFixed(2)} | ${(platform.mean / dockerode.mean).toFixed(2)} | – |`,
  );
  console.log(
    `| dockerode, the platform's create options | ${(platform.p50 / same.p50).toFixed(2)} | ${(platform.mean / same.mean).toFixed(2)} | – |`,
  );

  console.log('\nWhere the time goes (p50 of each step, ms from t0; engine and database timestamps)\n');
  console.log(
    "| step | platform | docker run (CLI) | docker run --network (CLI) | dockerode | dockerode, platform's options |",
  );
  console.log('|---|---|---|---|---|---|');
  const step = (name: string, of: (s: Sample) => number | undefined, methods: readonly Method[] = METHODS) => {
    const cells = METHODS.map((method) => {
      if (!methods.includes(method)) return '–';
      const values = samples[method].map(of).filter((v): v is number => v !== undefined);
      return values.length ? ms(stats(values).p50) : '–';
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  };
  step(
    't0 → ContainerScheduled committed (gateway, NATS, plan and environment (remembered, see TenancyClient), placement, append)',
    (s) => s.scheduled,
    ['platform'],
  );
  step(
    'ContainerScheduled → engine `create` event (launched at once: tenant network remembered, create)',
    (s) => diff(s.create, s.scheduled),
    ['platform'],
  );
  step('t0 → engine `create` event', (s) => s.create);
  step('engine `create` → engine `start` event', (s) => s.start - s.create);
  step('t0 → engine `start` event', (s) => s.start);
  step('engine `start` → start event received here', (s) => s.startSeen - s.start);
  step('t0 → HTTP 201 received (answer waits for the read model)', (s) => s.answered, ['platform']);
  step('t0 → ContainerStarted recorded', (s) => s.recorded, ['platform']);
  step('t0 → running, as timed (table above)', (s) => s.total);
  console.log(
    '\nNode ' +
      process.version +
      `, ${availableParallelism()} cores; services, engine, PostgreSQL and NATS all share them. Each run's container is removed before the next run.`,
  );
  console.log(
    `\napi→running p50 ${ms(platform.p50)} ms vs docker run p50 ${ms(cli.p50)} ms: ratio ${(platform.p50 / cli.p50).toFixed(2)} (target ≤ ${TARGET}); ` +
      `vs docker run on a network like the tenant's p50 ${ms(cliNetwork.p50)} ms: ratio ${(platform.p50 / cliNetwork.p50).toFixed(2)}`,
  );
}

function diff(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

function stats(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (q: number) => {
    const index = (sorted.length - 1) * q;
    const low = Math.floor(index);
    const high = Math.ceil(index);
    return sorted[low] + (sorted[high] - sorted[low]) * (index - low);
  };
  return {
    p50: quantile(0.5),
    p90: quantile(0.9),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

function ms(value: number): string {
  return value.toFixed(1);
}

// ── clean-up ──────────────────────────────────────────────────────────────────

/** Stops (at once) and deletes every container of the tenant through the API, then waits until the engine has none. */
async function deletePlatformContainers(platform: Platform, docker: Docker): Promise<void> {
  const { api, token } = platform;
  const { body: containers } = await api.expect(200, 'GET', '/v1/containers', { token });
  for (const { containerId } of containers as Array<{ containerId: string }>) {
    await api.call('POST', `/v1/containers/${containerId}/stop`, { token, body: { timeoutSeconds: 0 } });
    await api.expect(200, 'DELETE', `/v1/containers/${containerId}`, { token });
  }
  const filters = { label: [`${LABELS.tenant}=${platform.tenantId}`] };
  await until('the engine has removed the platform containers', async () => {
    return (await docker.listContainers({ all: true, filters })).length === 0;
  });
}

/** The tenant's network, which the platform creates and never removes. */
async function removeNetwork(docker: Docker, name: string): Promise<void> {
  await docker
    .getNetwork(name)
    .remove()
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
}

async function removeBaselineContainers(docker: Docker, runId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=${runId}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

// ── helpers ───────────────────────────────────────────────────────────────────

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = RUN_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function track(list: ServiceProcess[]) {
  return (service: ServiceProcess) => {
    list.push(service);
    return service;
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
