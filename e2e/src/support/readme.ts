import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@caas/testing';

/** The fenced bash block between `<!-- <marker>:begin -->` and `<!-- <marker>:end -->` in README.md. */
export function readmeBlock(marker: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(
    `<!-- ${marker}:begin -->\\s*\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\`\\s*<!-- ${marker}:end -->`,
  ).exec(readme);
  if (!match) {
    throw new Error(`README.md has no \`\`\`bash block between <!-- ${marker}:begin --> and <!-- ${marker}:end -->`);
  }
  return match[1];
}

export interface BashResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `bash -e -x -c script` from the repository root, as a reader runs it: -x traces each
 * command to stderr, so a failure shows which step broke. Only PATH and HOME come from
 * the test process; the rest of the environment is `env`.
 */
export function runBash(script: string, env: Record<string, string>, timeoutMs: number): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-x', '-c', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fails with the script's output and trace unless it exited 0. */
export function assertSucceeded(what: string, result: BashResult): void {
  if (result.code === 0) return;
  throw new Error(
    `${what} exited with ${result.code}.\n--- stdout ---\n${result.stdout}\n--- stderr (bash -x trace) ---\n${result.stderr}`,
  );
}
