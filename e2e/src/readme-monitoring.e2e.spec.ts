import type { Json } from './support/api';
import { Platform } from './support/platform';
import { assertSucceeded, readmeBlock, runBash } from './support/readme';

/*
 * The README's monitoring example (the bash block between <!-- monitoring:begin --> and
 * <!-- monitoring:end -->), run verbatim with `bash -e` against a platform with the
 * monitoring service: tenancy relays its events to this platform's JetStream, monitoring
 * stores them for the audit, the dashboard and webhooks, the gateway streams them live.
 * If the README's commands stop working, or stop showing what the README says, this fails.
 */

const ADMIN = { email: 'readme-monitoring-e2e-admin@example.com', password: 'readme monitoring e2e admin password' };

/** An audit line as the block prints it: type, actor (`<type>:<id>`, empty without one), command, correlation id. */
const AUDIT_LINE = /^([A-Z][A-Za-z0-9]*) ((?:user|api-key|system):\S+)? (\S*) (\S*)$/;

interface AuditLine {
  readonly type: string;
  readonly actor: string | undefined;
  readonly command: string;
  readonly correlationId: string;
}

interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data?: Json;
}

/** The text/event-stream part of the output: frames end with a blank line; comments (`:`) carry no fields. */
function sseFrames(stdout: string): SseFrame[] {
  const start = stdout.search(/^: resuming after \d+$/m);
  if (start < 0) return [];
  return stdout
    .slice(start)
    .split('\n\n')
    .map((frame) => {
      const fields: Record<string, string> = {};
      for (const line of frame.split('\n')) {
        const match = /^(id|event|data): (.*)$/.exec(line);
        if (match) fields[match[1]] = match[2];
      }
      return {
        id: fields.id,
        event: fields.event,
        data: fields.data === undefined ? undefined : JSON.parse(fields.data),
      };
    })
    .filter((frame) => frame.id !== undefined || frame.event !== undefined);
}

describe('README monitoring example', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ admin: ADMIN, monitoring: true });
  }, 120_000);

  afterAll(() => platform?.stop());

  it('runs as written with bash -e: audit with actor and correlation id, the state before the rename, dashboard, webhook, live feed', async () => {
    const result = await runBash(readmeBlock('monitoring'), { API: `${platform.api.baseUrl}/v1` }, 90_000);
    assertSucceeded("The README's monitoring example", result);
    const lines = result.stdout.split('\n');
    const objects = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Json);

    // Lin signed up; the tenant was created, got an environment and was renamed, in that order.
    const [signedUp, environment, renamed, state, dashboard, ...more] = objects;
    expect(more).toEqual([]);
    expect(signedUp).toEqual({ userId: expect.any(String) });
    const lin = `user:${signedUp.userId}`;
    expect(environment).toMatchObject({ environmentId: expect.any(String) });
    expect(renamed).toEqual({ tenantId: expect.any(String) });
    const tenantId: string = renamed.tenantId;

    // The audit: each of the three changes with Lin as actor, its command and the correlation id sent
    // (the block's own, `setup-<random>`: the gateway makes UUIDs when none is sent).
    const audit: AuditLine[] = lines.flatMap((line) => {
      const match = AUDIT_LINE.exec(line);
      return match ? [{ type: match[1], actor: match[2], command: match[3], correlationId: match[4] }] : [];
    });
    const correlation = audit[0]?.correlationId;
    expect(correlation).toMatch(/^setup-\d+$/);
    // Newest first: the rename, the environment, then the tenant's creation (it made Lin its owner).
    const change = (type: string, command: string) => ({ type, actor: lin, command, correlationId: correlation });
    expect(audit).toEqual([
      change('TenantRenamed', 'RenameTenant'),
      change('EnvironmentCreated', 'CreateEnvironment'),
      change('MemberJoined', 'CreateTenant'),
      change('TenantCreated', 'CreateTenant'),
    ]);

    // Time travel: the tenant before the rename still has its first name.
    expect(state).toMatchObject({
      tenantId,
      stream: `tenant-${tenantId}`,
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      state: expect.objectContaining({ tenantId, name: 'Lin Labs', status: 'active' }),
    });
    // … and it was renamed since, on this platform (API was honoured): the admin sees it now.
    const adminToken = await platform.api.login(ADMIN.email, ADMIN.password);
    const now = await platform.api.expect(
      200,
      'GET',
      `/v1/audit/state?stream=tenant-${tenantId}&at=${encodeURIComponent(new Date().toISOString())}`,
      { token: adminToken },
    );
    expect(now.body.state).toMatchObject({ tenantId, name: 'Lin Industries' });
    expect(BigInt(now.body.revision)).toBeGreaterThan(BigInt(state.revision));

    // The dashboard is the tenant's: no containers yet, usage against its plan, only its events.
    expect(dashboard).toMatchObject({
      tenantId,
      containers: expect.any(Object),
      services: expect.any(Object),
      hosts: expect.any(Object),
      usage: expect.any(Object),
      recentEvents: expect.any(Array),
    });
    for (const event of dashboard.recentEvents) expect(event.tenantId).toBe(tenantId);

    // The webhook: its id and secret answered once; the listing has it, without the secret.
    const registered = lines.map((line) => /^webhook ([0-9a-f-]{36}), secret (whsec_\S+)$/.exec(line)).find(Boolean);
    expect(registered).toBeTruthy();
    const [, webhookId, secret] = registered!;
    const listings = lines.filter((line) => line.startsWith('['));
    expect(listings).toHaveLength(1);
    expect(JSON.parse(listings[0])).toEqual([
      expect.objectContaining({
        webhookId,
        url: 'https://hooks.example.com/caas',
        eventTypes: ['Environment*'],
        enabled: true,
      }),
    ]);
    expect(listings[0]).not.toContain(secret);

    // The live feed replayed the tenant's events, each an SSE message with its sequence as id.
    const frames = sseFrames(result.stdout);
    const events = frames.filter((frame) => frame.data !== undefined);
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const frame of events) {
      expect(frame.id).toBe(String(frame.data.sequence));
      expect(frame.event).toBe(frame.data.type);
      expect(frame.data.tenantId).toBe(tenantId);
    }
    // It started at the tenant's first event (the oldest in its audit), and went on to the webhook's registration.
    expect(events[0].event).toBe('TenantCreated');
    expect(events.map((frame) => frame.event)).toContain('WebhookRegistered');
    const sequences = events.map((frame) => Number(frame.id));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(events.map((frame) => frame.event)).toEqual(
      expect.arrayContaining(['TenantCreated', 'EnvironmentCreated', 'TenantRenamed']),
    );
    expect(events.find((frame) => frame.event === 'EnvironmentCreated')!.data).toMatchObject({
      tenantId,
      command: 'CreateEnvironment',
      correlationId: correlation,
      actor: { type: 'user', id: signedUp.userId },
    });
  }, 120_000);
});
