import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The stock docker CLI against one local engine, with a config dir of its own: each
 * instance is one person's `docker login` state, as on their own machine. The engine,
 * not the CLI, talks to the registry (and fetches its tokens from the realm).
 */
export class DockerCli {
  private constructor(
    private readonly host: string,
    readonly configDir: string,
  ) {}

  static async for(host: string): Promise<DockerCli> {
    return new DockerCli(host, await mkdtemp(join(tmpdir(), 'caas-docker-config-')));
  }

  run(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        'docker',
        ['--config', this.configDir, '-H', this.host, ...args],
        { timeout: 120_000, maxBuffer: 8 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs and throws with the CLI's own words unless it succeeded. */
  async ok(...args: string[]): Promise<string> {
    const result = await this.run(...args);
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  /** `docker login`, password on stdin as scripts should pass it. */
  login(registry: string, username: string, password: string): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = execFile(
        'docker',
        ['--config', this.configDir, '-H', this.host, 'login', registry, '--username', username, '--password-stdin'],
        { timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      );
      child.stdin?.end(password);
    });
  }

  async dispose(): Promise<void> {
    await rm(this.configDir, { recursive: true, force: true });
  }
}
