import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type AuthenticatedUser, TENANCY, type TenantView } from '@caas/contracts';
import {
  NATS_URL,
  PASSWORD,
  TEST_DATABASE_URL,
  TenancyClient,
  createTenant,
  newSubjectPrefix,
  signUp,
  startTenancyForTest,
  uniqueEmail,
  userMeta,
} from './testing/tenancy-test-kit';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Polls until `check` succeeds, failing at once if the child died. */
async function until<T>(
  child: ChildProcess,
  output: () => string,
  check: () => Promise<T>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tenancy exited with ${child.exitCode}:\n${output()}`);
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`tenancy did not answer:\n${output()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('tenancy as a process: node -r @swc-node/register services/tenancy/src/main.ts', () => {
  it('starts from its environment, seeds the bootstrap admin, shares its read model with another instance, and stops on SIGTERM', async () => {
    const prefix = newSubjectPrefix();
    const adminEmail = uniqueEmail('bootstrap');
    let output = '';
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/tenancy/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: TEST_DATABASE_URL,
        NATS_URL,
        NATS_SUBJECT_PREFIX: prefix,
        BOOTSTRAP_ADMIN_EMAIL: adminEmail,
        BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
        EVENTSTORE_CONNECTION_STRING: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const client = await TenancyClient.connect(prefix);
    const anonymous = userMeta('anonymous');
    const inProcess: Array<{ close(): Promise<void> }> = [];
    try {
      await until(
        child,
        () => output,
        () => client.call(TENANCY.listPlans, {}, anonymous),
      );
      const admin = await client.call<AuthenticatedUser>(
        TENANCY.verifyPassword,
        { email: adminEmail, password: PASSWORD },
        anonymous,
      );
      expect(admin.platformRoles).toEqual(['platform-admin']);

      // A second instance, in-process, in the same queue group: requests are spread over
      // both, and every command's next query must see its write whichever instance answers.
      inProcess.push(await startTenancyForTest({ subjectPrefix: prefix }));
      for (let i = 0; i < 8; i++) {
        const owner = await signUp(client, `owner${i}`);
        const tenantId = await createTenant(client, owner);
        const view = await client.call<TenantView>(TENANCY.getTenant, {}, userMeta(owner.userId, tenantId));
        expect(view).toMatchObject({ tenantId, role: 'owner', planId: 'free' });
      }
    } finally {
      await Promise.all(inProcess.map((instance) => instance.close()));
      await client.close();
      const exited = new Promise<number | null>((resolve) =>
        child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output).toContain('SIGTERM received, shutting down');
  });
});
