import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from './eventually';
import { freePort } from './service-process';
import { findExecutable } from './executable';

const run = promisify(execFile);

export interface TokenSigningKey {
  readonly dir: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly keyPem: string;
  readonly certPem: string;
}

/**
 * An RSA-2048 key and a self-signed certificate for it (10 years), made with openssl as
 * infra/local/registry.sh makes the platform's: the images service signs registry tokens
 * with the key, a registry trusts the certificate as its `rootcertbundle`. Written to
 * `dir`, else to a fresh temp dir that the caller removes.
 */
export async function createTokenSigningKey(
  options: { dir?: string; commonName?: string } = {},
): Promise<TokenSigningKey> {
  const commonName = options.commonName ?? 'caas-images';
  // openssl's -subj syntax gives `/`, `=`, `+` and `\` a meaning; tests have no need for them
  if (!/^[\w .-]+$/.test(commonName)) throw new Error(`unsupported certificate common name: ${commonName}`);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'caas-registry-token-')));
  await mkdir(dir, { recursive: true });
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  // -nodes: an unencrypted key, as the images service reads it
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '3650',
    '-subj',
    `/CN=${commonName}`,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const [keyPem, certPem] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
  return { dir, keyPath, certPath, keyPem, certPem };
}

export type RegistryAuth =
  | {
      readonly kind: 'token';
      readonly realm: string;
      readonly service: string;
      readonly issuer: string;
      readonly rootCertBundlePath: string;
    }
  /** Plain passwords by user name; the registry gets a bcrypt file (`htpasswd -nbB`). */
  | { readonly kind: 'htpasswd'; readonly users: Readonly<Record<string, string>> };

export interface PrivateRegistryOptions {
  /** Default: none (anyone may push and pull). */
  readonly auth?: RegistryAuth;
  /** An endpoint the registry posts its event envelopes to (as the platform registry's `caas`). */
  readonly notifications?: { readonly url: string; readonly headers?: Readonly<Record<string, string>> };
  /** Whether manifests and blobs may be deleted (default true, as the platform registry). */
  readonly deleteEnabled?: boolean;
}

export interface PrivateRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`, as image references name it. */
  readonly host: string;
  readonly port: number;
  /** The temp dir with its config and data; removed by stop(). */
  readonly dir: string;
  /** What it printed so far (the last 256 KB), for a failing spec's message. */
  logs(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const MAX_LOG_CHARS = 256 * 1024;
/** freePort() only says the port was free a moment ago: retry when another process took it. */
const PORT_ATTEMPTS = 3;

/**
 * A docker-registry (distribution 2.8, Debian's package) of the calling spec's own, on a
 * random loopback port: a spec's gateway runs on a random port too, so the token realm
 * and the notification URL must point at that spec's gateway, not the shared one that
 * infra/local/registry.sh configures.
 */
export async function startPrivateRegistry(options: PrivateRegistryOptions = {}): Promise<PrivateRegistry> {
  const binary = findExecutable('docker-registry', '/usr/bin');
  if (!binary) throw new Error('no docker-registry binary: run `bash infra/local/up.sh`, which installs it');
  const dir = await mkdtemp(join(tmpdir(), 'caas-registry-'));
  try {
    await mkdir(join(dir, 'data'));
    if (options.auth?.kind === 'htpasswd') {
      await writeFile(join(dir, 'htpasswd'), await htpasswdFile(options.auth.users), { mode: 0o600 });
    }
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const configPath = join(dir, 'config.yml');
      await writeFile(configPath, renderConfig(dir, port, options), { mode: 0o600 });
      try {
        return await launch(binary, configPath, dir, port);
      } catch (error) {
        if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

class PortTakenError extends Error {}

async function launch(binary: string, configPath: string, dir: string, port: number): Promise<PrivateRegistry> {
  const url = `http://127.0.0.1:${port}`;
  // The registry reads every REGISTRY_* variable as a configuration override, and
  // .local/env sets several for the platform's own: none may reach this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('REGISTRY_')));
  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'], env });
  // Always drained (access log on stdout, the rest on stderr), or the registry blocks
  // once a pipe is full; the tail is kept for error messages.
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-MAX_LOG_CHARS);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  // 'close', not 'exit': by then its output is all in `log`, for the port-taken check
  let exited = false;
  let spawnError: Error | null = null;
  child.once('close', () => (exited = true)).once('error', (error) => (spawnError = error));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw spawnError;
    if (exited) {
      const message = `docker-registry exited during start (config ${configPath}):\n${log}`;
      throw /address already in use/.test(log) ? new PortTakenError(message) : new Error(message);
    }
    // Any answer will do: with auth, /v2/ is a 401.
    const answered = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) }).then(
      async (response) => (await response.arrayBuffer(), true),
      () => false,
    );
    if (answered) break;
    if (Date.now() >= deadline) {
      await stopChild(child);
      throw new Error(`docker-registry did not answer ${url}/v2/ within ${START_TIMEOUT_MS / 1000} s:\n${log}`);
    }
    await sleep(50);
  }

  return {
    url,
    host: `127.0.0.1:${port}`,
    port,
    dir,
    logs: () => log,
    stop: () => stopChild(child).finally(() => rm(dir, { recursive: true, force: true })),
  };
}

/** SIGTERM, then SIGKILL when it is still alive after a grace period. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The registry only accepts bcrypt entries, hence -B. */
async function htpasswdFile(users: Readonly<Record<string, string>>): Promise<string> {
  const lines = await Promise.all(
    Object.entries(users).map(async ([user, password]) => {
      if (!user || /[:\s]/.test(user)) throw new Error(`invalid htpasswd user name: ${JSON.stringify(user)}`);
      const { stdout } = await run('htpasswd', ['-nbB', user, password]).catch((error: Error) => {
        throw new Error(`htpasswd failed (apache2-utils; \`bash infra/local/up.sh\` installs it): ${error.message}`);
      });
      return stdout.trim();
    }),
  );
  return lines.join('\n') + '\n';
}

/**
 * The config, by hand (no YAML dependency): every string is a JSON string, which is a
 * valid YAML double-quoted scalar, so paths, URLs and header values need no care.
 */
function renderConfig(dir: string, port: number, options: PrivateRegistryOptions): string {
  const q = (value: string) => JSON.stringify(value);
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(join(dir, 'data'))}`,
    '  delete:',
    `    enabled: ${options.deleteEnabled ?? true}`,
    '  cache:',
    '    blobdescriptor: inmemory',
    'http:',
    `  addr: ${q(`127.0.0.1:${port}`)}`,
    // fixed per registry, or it logs a warning about generating one
    `  secret: ${q(randomBytes(16).toString('hex'))}`,
  ];
  const auth = options.auth;
  if (auth?.kind === 'token') {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${q(auth.realm)}`,
      `    service: ${q(auth.service)}`,
      `    issuer: ${q(auth.issuer)}`,
      `    rootcertbundle: ${q(auth.rootCertBundlePath)}`,
    );
  } else if (auth?.kind === 'htpasswd') {
    lines.push('auth:', '  htpasswd:', `    realm: ${q('caas-private')}`, `    path: ${q(join(dir, 'htpasswd'))}`);
  }
  const notifications = options.notifications;
  if (notifications) {
    // as infra/local/registry.sh configures the platform registry's `caas` endpoint
    lines.push('notifications:', '  endpoints:', `    - name: ${q('caas')}`, `      url: ${q(notifications.url)}`);
    const headers = Object.entries(notifications.headers ?? {});
    if (headers.length > 0) {
      lines.push('      headers:', ...headers.map(([name, value]) => `        ${q(name)}: [${q(value)}]`));
    }
    lines.push(
      '      timeout: 2s',
      '      threshold: 5',
      '      backoff: 1s',
      '      ignoredmediatypes:',
      `        - ${q('application/octet-stream')}`,
    );
  }
  return lines.join('\n') + '\n';
}
