import { CaasError, type ContainerTemplateV1 } from '@caas/contracts';
import { applySecurityPolicy, type PolicyContext } from './apply-security-policy';
import { securityViolations } from './refusals';

const CONTEXT: PolicyContext = {
  tenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  containerId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  hostId: 'host-1',
  allocatedPorts: [{ containerPort: 80, protocol: 'tcp', hostPort: 31_000 }],
  hostIp: '127.0.0.1',
};
const CLEAN = { image: 'busybox', resources: { cpus: 0.5, memoryMb: 64 } };

/** Unvalidated payloads: the policy must refuse these even when nobody validated them. */
const refuse = (change: object) => () =>
  applySecurityPolicy({ ...CLEAN, ...change } as unknown as ContainerTemplateV1, CONTEXT);

describe('the security policy refuses, naming the field', () => {
  // Issue 4, point 6: one case per refused field. [case, payload change, field, message]
  const cases: [string, object, string, RegExp][] = [
    ['privileged mode', { privileged: true }, 'privileged', /privileged containers are not allowed/],
    ['added capabilities', { capAdd: ['SYS_ADMIN', 'NET_ADMIN'] }, 'capAdd', /SYS_ADMIN, NET_ADMIN/],
    ['all capabilities', { capAdd: ['ALL'] }, 'capAdd', /capabilities \(ALL\)/],
    ['the Docker socket bind', { binds: ['/var/run/docker.sock:/var/run/docker.sock'] }, 'binds', /Docker socket/],
    ['the Docker socket at /run', { binds: ['/run/docker.sock:/docker.sock:ro'] }, 'binds', /Docker socket/],
    ['a host bind mount', { binds: ['/:/host'] }, 'binds', /host bind mounts are not allowed/],
    [
      'a bind in Docker Mounts form',
      { mounts: [{ Type: 'bind', Source: '/etc', Target: '/etc' }] },
      'mounts',
      /use volumes/,
    ],
    [
      'the Docker socket in Mounts form',
      { mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/s' }] },
      'mounts',
      /Docker socket/,
    ],
    [
      'a volume named as the Docker socket',
      { volumes: [{ name: '/var/run/docker.sock', mountPath: '/var/run/docker.sock' }] },
      'volumes.0.name',
      /Docker socket/,
    ],
    [
      'a volume named as a host path',
      { volumes: [{ name: '/etc', mountPath: '/host-etc' }] },
      'volumes.0.name',
      /'\/etc' is a host path/,
    ],
    [
      'a volume with a hostPath',
      { volumes: [{ name: 'data', mountPath: '/data', hostPath: '/srv/data' }] },
      'volumes.0.hostPath',
      /host paths cannot be mounted/,
    ],
    [
      'a volume hostPath to the Docker socket',
      { volumes: [{ name: 'd', mountPath: '/d', hostPath: '/var/run/docker.sock' }] },
      'volumes.0.hostPath',
      /Docker socket/,
    ],
    ["another container's volumes", { volumesFrom: ['db'] }, 'volumesFrom', /another container's volumes/],
    ['the host network', { networkMode: 'host' }, 'networkMode', /'host' is not allowed/],
    [
      "another container's network",
      { networkMode: 'container:other-tenant-db' },
      'networkMode',
      /another container's network namespace/,
    ],
    ['the host PID namespace', { pidMode: 'host' }, 'pidMode', /host's PID namespace/],
    ['the host IPC namespace', { ipcMode: 'host' }, 'ipcMode', /host's IPC namespace/],
    ['the host UTS namespace', { utsMode: 'host' }, 'utsMode', /host's UTS namespace/],
    ['the host cgroup namespace', { cgroupnsMode: 'host' }, 'cgroupnsMode', /host's cgroup namespace/],
    ['the host user namespace', { userns: 'host' }, 'userns', /host's user namespace/],
    ['devices', { devices: [{ PathOnHost: '/dev/kvm', PathInContainer: '/dev/kvm' }] }, 'devices', /host devices/],
    ['unconfined seccomp', { securityOpt: ['seccomp=unconfined'] }, 'securityOpt', /seccomp=unconfined is not allowed/],
    [
      'unconfined AppArmor',
      { securityOpt: ['apparmor=unconfined'] },
      'securityOpt',
      /apparmor=unconfined is not allowed/,
    ],
    [
      'no-new-privileges turned off',
      { securityOpt: ['no-new-privileges:false'] },
      'securityOpt',
      /no-new-privileges:false is not allowed/,
    ],
    ['sysctls', { sysctls: { 'kernel.shm_rmid_forced': '1' } }, 'sysctls', /sysctls/],
    [
      'a chosen host port',
      { ports: [{ containerPort: 80, hostPort: 80 }] },
      'ports.0.hostPort',
      /platform allocates host ports/,
    ],
    [
      'a chosen host address',
      { ports: [{ containerPort: 80, hostIp: '0.0.0.0' }] },
      'ports.0.hostIp',
      /chooses the address/,
    ],
    [
      'a volume over /proc',
      { volumes: [{ name: 'p', mountPath: '/proc' }] },
      'volumes.0.mountPath',
      /\/proc belongs to the container runtime/,
    ],
    ['a volume over /', { volumes: [{ name: 'r', mountPath: '/' }] }, 'volumes.0.mountPath', /root/],
  ];

  it.each(cases)('%s', (_name, change, field, message) => {
    let thrown: unknown;
    try {
      refuse(change)();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CaasError);
    expect((thrown as CaasError).code).toBe('validation'); // → 400 at the gateway
    expect((thrown as CaasError).extra.violations).toEqual([
      { field, rule: 'forbidden', message: expect.stringMatching(message) },
    ]);
  });

  it('refuses every field at once, one violation per field', () => {
    const all = Object.assign(
      {},
      ...cases.filter(([, change]) => !('volumes' in change) && !('ports' in change)).map(([, change]) => change),
    );
    const fields = securityViolations({
      ...all,
      ports: [{ containerPort: 80, hostPort: 80 }],
      volumes: [{ name: '/var/run/docker.sock', mountPath: '/s', hostPath: '/' }],
    })
      .map((violation) => violation.field)
      .sort();
    expect(fields).toEqual(
      [
        'binds',
        'capAdd',
        'cgroupnsMode',
        'devices',
        'ipcMode',
        'mounts',
        'networkMode',
        'pidMode',
        'ports.0.hostPort',
        'privileged',
        'securityOpt',
        'sysctls',
        'userns',
        'utsMode',
        'volumes.0.hostPath',
        'volumes.0.name',
        'volumesFrom',
      ].sort(),
    );
    expect(refuse(all)).toThrow(/privileged containers are not allowed;.*Docker socket/);
  });

  it('accepts the values that ask for nothing', () => {
    const harmless = {
      privileged: false,
      capAdd: [],
      binds: [],
      devices: [],
      sysctls: {},
      networkMode: '',
      securityOpt: ['no-new-privileges'],
    };
    expect(securityViolations({ ...CLEAN, ...harmless })).toEqual([]);
    expect(() => refuse(harmless)()).not.toThrow();
  });

  it('refuses a volume name Docker might not read as a plain name', () => {
    expect(securityViolations({ ...CLEAN, volumes: [{ name: 'a:b', mountPath: '/d' }] })).toEqual([
      { field: 'volumes.0.name', rule: 'volumeName', message: expect.any(String) },
    ]);
  });
});
