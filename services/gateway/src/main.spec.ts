import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL;
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!NATS_URL || !TEST_DATABASE_URL) throw new Error('NATS_URL and TEST_DATABASE_URL must be set: `npm run infra:up`');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/gateway/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NATS_URL: NATS_URL!, DATABASE_URL: TEST_DATABASE_URL!, JWT_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

describe('the gateway as a process: node -r @swc-node/register services/gateway/src/main.ts', () => {
  it('starts from its environment on HOST:PORT, answers, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = startMain({ PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'development' });
    try {
      const deadline = Date.now() + 45_000;
      let response: Response | undefined;
      while (!response) {
        if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output()}`);
        if (Date.now() > deadline) throw new Error(`gateway did not answer:\n${output()}`);
        response = await fetch(`http://127.0.0.1:${port}/docs-json`).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          return undefined;
        });
      }
      expect(response.status).toBe(200);
      expect(output()).toContain('JWT_SECRET is not set: using a random secret');
    } finally {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output()).toContain('SIGTERM received, shutting down');
  });

  it('refuses to start in production without JWT_SECRET', async () => {
    const { child, output } = startMain({ PORT: String(await freePort()), NODE_ENV: 'production' });
    expect(await exitOf(child)).toBe(1);
    expect(output()).toContain('JWT_SECRET must be set in production');
  });
});
