import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './eventually';

/** The repository root: services run from here, as infra/local/services.sh runs them. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** How a spec tells that a service is ready to take requests. */
export type Readiness =
  /** A line the current run printed (stdout or stderr). */
  | { readonly logLine: RegExp }
  /** A URL that answers 200. */
  | { readonly httpOk: string }
  | { readonly check: (service: ServiceProcess) => Promise<boolean> };

export interface ServiceProcessOptions {
  /** Default: the gateway when `GET /v1/health` answers 200 (which needs tenancy); tenancy on "listening on NATS". */
  readonly ready?: Readiness;
  /** How long a start may take before it fails with the service's output (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** The entry point, relative to the repository root (default `services/<name>/src/main.ts`). */
  readonly entry?: string;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A service running as a child process, the way infra/local/services.sh runs it. */
export interface ServiceProcess {
  readonly name: string;
  /** What the spec gave it (the process also gets PATH, HOME and the like, and nothing else). */
  readonly env: Readonly<Record<string, string>>;
  /** The current run's pid; restart() changes it. */
  readonly pid: number | undefined;
  /** Whether the current run is alive. */
  readonly running: boolean;
  /** Everything every run printed, oldest first (the last 2 MB), with a marker line at each start and exit. */
  logs(): string;
  /** Sends `signal` to the current run and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL when it is still alive after `graceMs`; resolves once exited. */
  stop(graceMs?: number): Promise<ExitStatus>;
  /** Stops the current run if it is alive, starts it again with the same env, waits until it is ready. */
  restart(): Promise<void>;
}

/**
 * Where a spec file's services are listed, for libs/testing/jest-environment.js: it
 * prints their output when a test fails and kills those still running when the file ends.
 */
export const SERVICE_REGISTRY = '__caasServiceProcesses';

/** Inherited from the test process; everything else a service reads must be given explicitly. */
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'USER'];
const MAX_LOG_CHARS = 2 * 1024 * 1024;

/**
 * Starts `node -r @swc-node/register services/<name>/src/main.ts` from the repository
 * root with `env` (plus NODE_ENV=test, NO_COLOR=1 unless given), and resolves once it is
 * ready. The service sees only what it is given: the test process's DATABASE_URL and
 * NATS_URL (a developer's platform) never leak in. Fails with the service's output when
 * it exits or is not ready in time.
 */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const service = new ChildService(name, { NODE_ENV: 'test', NO_COLOR: '1', ...env }, options);
  registry().add(service);
  await service.start();
  return service;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

interface Run {
  readonly child: ChildProcess;
  /** This run's output, for readiness by log line. */
  output: string;
  status: ExitStatus | null;
  readonly exited: Promise<ExitStatus>;
}

class ChildService implements ServiceProcess {
  private log = '';
  private run: Run | null = null;
  private readonly ready: Readiness;

  constructor(
    readonly name: string,
    readonly env: Readonly<Record<string, string>>,
    private readonly options: ServiceProcessOptions,
  ) {
    this.ready = options.ready ?? defaultReadiness(name, env);
  }

  get pid(): number | undefined {
    return this.run?.child.pid;
  }

  get running(): boolean {
    return this.run !== null && this.run.status === null;
  }

  logs(): string {
    return this.log;
  }

  async start(): Promise<void> {
    const entry = this.options.entry ?? join('services', this.name, 'src', 'main.ts');
    const inherited = Object.fromEntries(
      INHERITED_ENV.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])),
    );
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
      cwd: REPO_ROOT,
      env: { ...inherited, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let settle: (status: ExitStatus) => void = () => undefined;
    const run: Run = {
      child,
      output: '',
      status: null,
      exited: new Promise<ExitStatus>((resolve) => (settle = resolve)),
    };
    const onExit = (status: ExitStatus) => {
      if (run.status) return;
      run.status = status;
      this.append(`--- ${this.name} (pid ${child.pid}) exited: ${describeExit(status)} ---\n`);
      settle(status);
    };
    // 'close', not 'exit': by then all its output has been read, so the marker comes last.
    child.once('close', (code, signal) => onExit({ code, signal }));
    child.once('error', (error) => {
      this.append(`--- ${this.name} could not be started: ${error.message} ---\n`);
      onExit({ code: null, signal: null });
    });
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      if (run.output.length < MAX_LOG_CHARS) run.output += text;
      this.append(text);
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    this.run = run;
    this.append(`--- ${this.name} (pid ${child.pid}) started: node -r @swc-node/register ${entry} ---\n`);
    await this.waitUntilReady(run);
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    const run = this.run;
    if (!run) throw new Error(`${this.name} was never started`);
    if (run.status) return run.status;
    run.child.kill(signal);
    return run.exited;
  }

  async stop(graceMs = 10_000): Promise<ExitStatus> {
    const run = this.run;
    if (!run) throw new Error(`${this.name} was never started`);
    if (run.status) return run.status;
    const timer = setTimeout(() => run.child.kill('SIGKILL'), graceMs);
    try {
      return await this.kill('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    if (this.running) await this.stop();
    await this.start();
  }

  private async waitUntilReady(run: Run): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (run.status) {
        throw new Error(
          `${this.name} exited (${describeExit(run.status)}) before it was ready; its output:\n${this.log}`,
        );
      }
      if (await this.isReady(run)) return;
      if (Date.now() > deadline) {
        run.child.kill('SIGKILL');
        await run.exited;
        throw new Error(`${this.name} was not ready within ${timeoutMs} ms; its output:\n${this.log}`);
      }
      await sleep(100);
    }
  }

  private async isReady(run: Run): Promise<boolean> {
    const ready = this.ready;
    if ('logLine' in ready) return ready.logLine.test(run.output);
    if ('check' in ready) return ready.check(this).catch(() => false);
    try {
      const response = await fetch(ready.httpOk, { signal: AbortSignal.timeout(3_000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  private append(text: string): void {
    this.log += text;
    if (this.log.length > MAX_LOG_CHARS) this.log = this.log.slice(-MAX_LOG_CHARS);
  }
}

function defaultReadiness(name: string, env: Readonly<Record<string, string>>): Readiness {
  switch (name) {
    case 'gateway':
      return { httpOk: `http://${env.HOST || '127.0.0.1'}:${env.PORT || '8080'}/v1/health` };
    case 'tenancy':
      // Logged by services/tenancy/src/main.ts once its NATS handlers are subscribed.
      return { logLine: /listening on NATS/ };
    default:
      throw new Error(`Say how to tell that '${name}' is ready: options.ready`);
  }
}

function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

function registry(): Set<ServiceProcess> {
  const scope = globalThis as unknown as Record<string, Set<ServiceProcess> | undefined>;
  return (scope[SERVICE_REGISTRY] ??= new Set());
}
