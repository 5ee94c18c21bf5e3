import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '@caas/testing';
import type { BashResult } from './readme';

/**
 * A README block that runs until it is told to stop (a consumer, a follower), started
 * like `runBash` runs one that ends: `bash -e -x -c script` from the repository root,
 * only PATH and HOME from the test process. It gets a process group of its own, so
 * `terminate` signals bash and the commands it started, as Ctrl-C or `kill` would.
 */
export class BackgroundBash {
  private stdoutText = '';
  private stderrText = '';
  private readonly exited: Promise<BashResult>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk) => (this.stdoutText += chunk));
    child.stderr!.on('data', (chunk) => (this.stderrText += chunk));
    this.exited = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout: this.stdoutText, stderr: this.stderrText }));
    });
  }

  static start(script: string, env: Record<string, string>): BackgroundBash {
    const child = spawn('bash', ['-e', '-x', '-c', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    return new BackgroundBash(child);
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Signals the whole group and waits until every process in it closed its output. */
  async terminate(signal: NodeJS.Signals = 'SIGTERM'): Promise<BashResult> {
    this.signal(signal);
    return this.exited;
  }

  /** Kills what is left (after a failed test); never throws. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited.catch(() => undefined);
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  }
}
