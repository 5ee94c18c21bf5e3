import { spawn } from 'node:child_process';

/** The image every local engine has (infra/local loads it): a busybox rootfs. */
export const BUSYBOX = 'caas/busybox:1';

/** The local engines' sockets, from DOCKER_HOSTS (.local/env). */
export function dockerHosts(): string[] {
  const hosts = (process.env.DOCKER_HOSTS ?? '').split(',').filter(Boolean);
  if (hosts.length < 2) throw new Error('DOCKER_HOSTS must name two engines or more: run `bash infra/local/up.sh`');
  return hosts;
}

export interface DockerOptions {
  /** A `--config` dir: where `login` keeps credentials, so specs never touch ~/.docker. */
  readonly config?: string;
  readonly stdin?: string;
}

/** The docker CLI against one engine; resolves with stdout, rejects with the CLI's stderr. */
export function docker(host: string, args: readonly string[], options: DockerOptions = {}): Promise<string> {
  const argv = [...(options.config ? ['--config', options.config] : []), '-H', host, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('docker', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`docker ${argv.join(' ')}: exit ${code}\n${stderr}${stdout}`)),
    );
    child.stdin.end(options.stdin ?? '');
  });
}

export function dockerLogin(
  host: string,
  config: string,
  registryHost: string,
  user: { username: string; password: string },
): Promise<string> {
  return docker(host, ['login', '--username', user.username, '--password-stdin', registryHost], {
    config,
    stdin: user.password,
  });
}

/**
 * Pushes the engine's busybox to `<registryHost>/<repository>:<tag>` and drops the tag
 * again (an untag: busybox itself stays). Returns the pushed manifest's digest.
 */
export async function pushBusybox(host: string, image: string, options: { config?: string } = {}): Promise<string> {
  await docker(host, ['tag', BUSYBOX, image]);
  try {
    const output = await docker(host, ['push', image], options);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
    if (!digest) throw new Error(`docker push ${image} printed no digest:\n${output}`);
    return digest;
  } finally {
    await docker(host, ['rmi', '-f', image]).catch(() => undefined);
  }
}
