import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './executable';

export interface PrivateNats {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A nats-server of this test file's own, on a random loopback port. Real NATS, but
 * nobody else's services listen on it: a spec that needs "tenancy is not answering"
 * stays true while tenancy runs on the shared server (its own tests, a developer's
 * `npm start`), and services a spec starts answer only that spec's requests.
 * Null when there is no nats-server binary (infra/local installs one).
 */
export async function startPrivateNats(options: { jetstream?: boolean } = {}): Promise<PrivateNats | null> {
  const binary = findExecutable('nats-server', '/usr/sbin');
  if (!binary) return null;
  const storeDir = options.jetstream ? mkdtempSync(join(tmpdir(), 'caas-nats-')) : null;
  const args = ['-a', '127.0.0.1', '-p', '-1', ...(storeDir ? ['-js', '-sd', storeDir] : [])];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const removeStore = () => storeDir && rmSync(storeDir, { recursive: true, force: true });
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    const onExit = (code: number | null) => fail(new Error(`nats-server exited with ${code}:\n${log}`));
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Listening for client connections on ([\d.]+):(\d+)/.exec(log);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit).off('error', fail);
      child.stderr!.off('data', onData);
      // Keep draining its log, or the server blocks once the pipe is full.
      child.stderr!.resume();
      resolve(`nats://${match[1]}:${match[2]}`);
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      removeStore();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`nats-server did not start within 10 s:\n${log}`)), 10_000);
    child.once('error', fail).once('exit', onExit);
    child.stderr!.on('data', onData);
  });
  return { url, stop: () => stop(child).finally(removeStore) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
