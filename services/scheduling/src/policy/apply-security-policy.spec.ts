import { CaasError, type ContainerTemplateV1, type FieldViolation } from '@caas/contracts';
import { LABELS, type RuntimeContainerSpec } from '../runtime/runtime-spec';
import { applySecurityPolicy, type PolicyContext } from './apply-security-policy';

const TENANT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER_TENANT = '16fd2706-8baf-433b-82eb-8c7fada847da';
const CONTAINER = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const CONTEXT: PolicyContext = {
  tenantId: TENANT,
  containerId: CONTAINER,
  serviceId: 'b5f1c7a2-1d3e-4f60-8a9b-0c1d2e3f4a5b',
  replica: 2,
  hostId: 'host-1',
  allocatedPorts: [
    { containerPort: 8080, protocol: 'tcp', hostPort: 31_001 },
    { containerPort: 5353, protocol: 'udp', hostPort: 31_002 },
  ],
  hostIp: '127.0.0.1',
};

/** A validated spec, as the service holds it after `validated(CreateContainerV1, …)`. */
const CLEAN = {
  image: 'registry.example.com/acme/web:1.4.2',
  command: ['httpd', '-f', '-p', '8080'],
  env: { LOG_LEVEL: 'info' },
  ports: [{ containerPort: 8080 }, { containerPort: 5353, protocol: 'udp' }],
  resources: { cpus: 0.5, memoryMb: 256 },
  volumes: [
    { name: 'data', mountPath: '/var/lib/data' },
    { name: 'cache', mountPath: '/cache', readOnly: true },
  ],
  healthCheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'], retries: 5 },
} as ContainerTemplateV1;

/** The spec with some fields changed, as a payload that never went through validation. */
const spec = (change: object) => ({ ...CLEAN, ...change }) as ContainerTemplateV1;

function violationsOf(run: () => unknown): FieldViolation[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CaasError);
    expect((error as CaasError).code).toBe('validation');
    return [...((error as CaasError).extra.violations ?? [])];
  }
  throw new Error('expected the policy to refuse the spec');
}

describe('applySecurityPolicy', () => {
  it('maps a clean spec to the runtime spec, with every platform requirement set', () => {
    const expected: RuntimeContainerSpec = {
      name: `caas-7c9e6679-${CONTAINER}`,
      image: 'registry.example.com/acme/web:1.4.2',
      command: ['httpd', '-f', '-p', '8080'],
      env: { LOG_LEVEL: 'info' },
      ports: [
        { containerPort: 8080, protocol: 'tcp', hostPort: 31_001, hostIp: '127.0.0.1' },
        { containerPort: 5353, protocol: 'udp', hostPort: 31_002, hostIp: '127.0.0.1' },
      ],
      resources: { cpus: 0.5, memoryMb: 256, pidsLimit: 512 },
      volumes: [
        { volumeName: `caas-${TENANT}-data`, mountPath: '/var/lib/data', readOnly: false },
        { volumeName: `caas-${TENANT}-cache`, mountPath: '/cache', readOnly: true },
      ],
      restartPolicy: 'unless-stopped',
      labels: {
        [LABELS.managed]: 'true',
        [LABELS.tenant]: TENANT,
        [LABELS.container]: CONTAINER,
        [LABELS.service]: CONTEXT.serviceId!,
        [LABELS.replica]: '2',
        [LABELS.host]: 'host-1',
      },
      network: `caas-tenant-${TENANT}`,
      healthCheck: {
        test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'],
        intervalSeconds: 10,
        timeoutSeconds: 5,
        retries: 5,
        startPeriodSeconds: 0,
      },
    };
    expect(applySecurityPolicy(CLEAN, CONTEXT)).toEqual(expected);
  });

  it('labels a standalone container without service or replica', () => {
    const { labels } = applySecurityPolicy(CLEAN, { ...CONTEXT, serviceId: undefined, replica: undefined });
    expect(Object.keys(labels).sort()).toEqual([LABELS.container, LABELS.host, LABELS.managed, LABELS.tenant].sort());
  });

  it('always sets CPU, memory and PIDs limits; an explicit PIDs limit is kept', () => {
    expect(applySecurityPolicy(CLEAN, CONTEXT).resources).toEqual({ cpus: 0.5, memoryMb: 256, pidsLimit: 512 });
    const explicit = spec({ resources: { cpus: 2, memoryMb: 1024, pidsLimit: 64 } });
    expect(applySecurityPolicy(explicit, CONTEXT).resources).toEqual({ cpus: 2, memoryMb: 1024, pidsLimit: 64 });
  });

  it.each<[string, unknown, string[]]>([
    ['no resources at all', undefined, ['resources.cpus', 'resources.memoryMb']],
    ['no memory limit', { cpus: 1 }, ['resources.memoryMb']],
    ['an unbounded CPU limit', { cpus: 0, memoryMb: 64 }, ['resources.cpus']],
    ['an infinite memory limit', { cpus: 1, memoryMb: Infinity }, ['resources.memoryMb']],
    ['a PIDs limit of -1 (unlimited to Docker)', { cpus: 1, memoryMb: 64, pidsLimit: -1 }, ['resources.pidsLimit']],
  ])('refuses %s rather than run a container without limits', (_name, resources, fields) => {
    const violations = violationsOf(() => applySecurityPolicy(spec({ resources }), CONTEXT));
    expect(violations.map((violation) => violation.field)).toEqual(fields);
    expect(violations.every((violation) => violation.rule === 'limit')).toBe(true);
  });

  it("prefixes volumes with the tenant, so a tenant never mounts another tenant's volume", () => {
    const volumes = [{ name: 'data', mountPath: '/data' }];
    const mine = applySecurityPolicy(spec({ volumes }), CONTEXT).volumes[0]!.volumeName;
    const theirs = applySecurityPolicy(spec({ volumes }), { ...CONTEXT, tenantId: OTHER_TENANT }).volumes[0]!
      .volumeName;
    expect(mine).toBe(`caas-${TENANT}-data`);
    expect(theirs).toBe(`caas-${OTHER_TENANT}-data`);
    // Naming a volume after another tenant's full volume name only nests it under one's own prefix.
    const spoof = applySecurityPolicy(spec({ volumes: [{ name: theirs, mountPath: '/data' }] }), CONTEXT);
    expect(spoof.volumes[0]!.volumeName).toBe(`caas-${TENANT}-${theirs}`);
  });

  it("puts the container on its tenant's network only", () => {
    expect(applySecurityPolicy(CLEAN, CONTEXT).network).toBe(`caas-tenant-${TENANT}`);
    expect(applySecurityPolicy(CLEAN, { ...CONTEXT, tenantId: OTHER_TENANT }).network).toBe(
      `caas-tenant-${OTHER_TENANT}`,
    );
  });

  it("never lets the tenant's labels reach the engine (they could claim another tenant)", () => {
    const claim = spec({ labels: { team: 'x', [LABELS.tenant]: OTHER_TENANT } });
    expect(applySecurityPolicy(claim, CONTEXT).labels[LABELS.tenant]).toBe(TENANT);
    expect(applySecurityPolicy(claim, CONTEXT).labels).not.toHaveProperty('team');
  });

  it('builds the result from known fields only: unknown Docker fields never reach the driver', () => {
    const sneaky = spec({ HostConfig: { Privileged: true, Binds: ['/:/host'] }, Privileged: true, CapAdd: ['ALL'] });
    const result = applySecurityPolicy(sneaky, CONTEXT) as unknown as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(Object.keys(applySecurityPolicy(CLEAN, CONTEXT)).sort());
  });

  it('publishes only the host ports the platform allocated; a missing allocation is an internal error', () => {
    const unallocated = spec({ ports: [{ containerPort: 9090 }] });
    expect(() => applySecurityPolicy(unallocated, CONTEXT)).toThrow(
      expect.objectContaining({ code: 'internal', message: expect.stringMatching(/9090\/tcp/) }),
    );
  });

  it('refuses a context whose tenant id could make tenant prefixes ambiguous', () => {
    expect(() => applySecurityPolicy(CLEAN, { ...CONTEXT, tenantId: 'acme' })).toThrow(
      expect.objectContaining({ code: 'internal' }),
    );
  });
});
