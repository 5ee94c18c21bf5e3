import { randomUUID } from 'node:crypto';
import { sleep } from '@caas/testing';
import { Pool } from 'pg';
import type { Api } from './support/api';
import { Platform } from './support/platform';

/*
 * Crash safety of a command's answer, end to end: a client creates environments through
 * the gateway, a few at a time, each under its own Idempotency-Key and retried with that
 * key until it gets a 2xx; part-way through, the tenancy process is SIGKILLed (no
 * shutdown, requests in flight) and started again. Every acknowledged command must then
 * be there exactly once — in the read model (the API) and in the event store.
 *
 * The hard case is a command tenancy appended just before it died: its answer is lost
 * (504), the gateway gives the key back, and the retry reaches tenancy again. Decided
 * afresh it would be refused (the name is taken) or done twice; under the command id the
 * gateway derives from the key, tenancy finds the events it recorded and answers them.
 */

const ADMIN = { email: 'crash-e2e-admin@example.com', password: 'crash e2e admin password' };
const COMMANDS = 60;
const PARALLEL = 4;
/** The kill lands once this many commands have been acknowledged. */
const KILL_AFTER = 20;
const RETRY_PAUSE_MS = 100;
/** Every command must be acknowledged within this long (the outage included). */
const DEADLINE_MS = 60_000;

interface Attempt {
  readonly name: string;
  /** 0 when the HTTP request itself failed. */
  readonly status: number;
  readonly code?: string;
  readonly sentAt: number;
  readonly answeredAt: number;
}

describe('tenancy SIGKILLed and restarted while commands are in flight', () => {
  let platform: Platform;
  let api: Api;
  let pool: Pool;
  let tenant: { tenantId: string; token: string };

  beforeAll(async () => {
    platform = await Platform.start({
      admin: ADMIN,
      // Requests caught in the killed process time out (504) soon; retries are not rate limited.
      gatewayEnv: { RPC_TIMEOUT_MS: '1500', RATE_LIMIT_PER_MINUTE: '100000' },
    });
    api = platform.api;
    pool = new Pool({ connectionString: platform.databaseUrl });
    tenant = await api.createTenant((await api.signUp('crash-owner')).token);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await pool?.end();
  });

  it('loses no acknowledged command and runs none twice', async () => {
    const run = randomUUID().slice(0, 8);
    const queue = Array.from({ length: COMMANDS }, (_, i) => ({
      name: `crash-${run}-${String(i).padStart(2, '0')}`,
      key: randomUUID(),
    }));
    const names = queue.map((command) => command.name);
    const acknowledged = new Map<string, string>(); // name → environmentId from the 2xx answer
    const attempts: Attempt[] = [];
    let inFlight = 0;
    const outage: { killedAt?: number; inFlightAtKill?: number; restartedAt?: number } = {};
    let crash: Promise<void> | null = null;
    const deadline = Date.now() + DEADLINE_MS;
    let gaveUp: Error | null = null;

    const crashTenancy = async () => {
      // A moment after a request went out, so that some are inside tenancy.
      await sleep(Math.floor(Math.random() * 20));
      outage.killedAt = Date.now();
      outage.inFlightAtKill = inFlight;
      const exit = await platform.tenancy.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      await platform.tenancy.restart();
      outage.restartedAt = Date.now();
    };

    const send = async (command: { name: string; key: string }) => {
      for (;;) {
        // Another command failed for good: stop too, so nothing runs on after the test.
        if (gaveUp) throw gaveUp;
        const sentAt = Date.now();
        inFlight++;
        const request = api
          .call('POST', '/v1/environments', {
            token: tenant.token,
            body: { name: command.name },
            headers: { 'idempotency-key': command.key },
          })
          .catch(() => ({ status: 0, body: undefined }));
        if (!crash && acknowledged.size >= KILL_AFTER) crash = crashTenancy();
        const answer = await request;
        inFlight--;
        attempts.push({
          name: command.name,
          status: answer.status,
          code: answer.body?.code,
          sentAt,
          answeredAt: Date.now(),
        });
        if (answer.status === 201) {
          acknowledged.set(command.name, answer.body.environmentId);
          return;
        }
        // Worth retrying: tenancy down (503), a request lost with it (504), the connection
        // dropped, or the same key still held by an earlier attempt (409 "in progress").
        const retry =
          answer.status === 0 ||
          answer.status === 503 ||
          answer.status === 504 ||
          (answer.status === 409 && /still in progress/.test(answer.body?.message ?? ''));
        if (!retry || Date.now() > deadline) {
          const why = retry ? `still failing after ${DEADLINE_MS} ms` : 'a definite refusal';
          gaveUp = new Error(
            `creating ${command.name} answered ${answer.status}, ${why}: ${JSON.stringify(answer.body)}`,
          );
          throw gaveUp;
        }
        await sleep(RETRY_PAUSE_MS);
      }
    };

    const workers = await Promise.allSettled(
      Array.from({ length: PARALLEL }, async () => {
        for (let command = queue.shift(); command; command = queue.shift()) await send(command);
      }),
    );
    await crash;
    const failed = workers.find((worker) => worker.status === 'rejected');
    if (failed) throw failed.reason;

    // The kill landed while requests were in flight, and was noticed: requests failed
    // during the outage, and commands succeeded once tenancy was back.
    const { killedAt, inFlightAtKill, restartedAt } = outage;
    expect(inFlightAtKill).toBeGreaterThan(0);
    const failedDuringOutage = attempts.filter(
      (a) => (a.status === 503 || a.status === 504) && a.answeredAt >= killedAt! && a.sentAt < restartedAt!,
    );
    expect(failedDuringOutage.length).toBeGreaterThan(0);
    const succeededAfterRestart = attempts.filter((a) => a.status === 201 && a.sentAt >= restartedAt!);
    expect(succeededAfterRestart.length).toBeGreaterThan(0);

    // Every command was acknowledged (a retry under its key included), with one id each.
    expect([...acknowledged.keys()].sort()).toEqual(names);
    expect(new Set(acknowledged.values()).size).toBe(COMMANDS);

    // The API shows exactly those environments (the tenant is this test's own), each once,
    // under the id its 2xx answer gave.
    const listed = await api.expect(200, 'GET', '/v1/environments', { token: tenant.token });
    const environments: { name: string; environmentId: string }[] = listed.body;
    expect(environments.map((e) => e.name).sort()).toEqual(names);
    expect(Object.fromEntries(environments.map((e) => [e.name, e.environmentId]))).toEqual(
      Object.fromEntries(acknowledged),
    );

    // The event store holds exactly one EnvironmentCreated per name.
    const { rows } = await pool.query<{ name: string; environmentId: string }>(
      `select data->>'name' as name, data->>'environmentId' as "environmentId"
         from es.events where stream_id = $1 and event_type = 'EnvironmentCreated'`,
      [`tenant-${tenant.tenantId}`],
    );
    expect(rows.map((row) => row.name).sort()).toEqual(names);
    expect(Object.fromEntries(rows.map((row) => [row.name, row.environmentId]))).toEqual(
      Object.fromEntries(acknowledged),
    );
  }, 120_000);
});
