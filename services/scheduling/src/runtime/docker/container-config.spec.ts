import { DROPPED_CAPABILITIES } from '../../policy/host-config';
import { containerCreateOptions } from './container-config';
import { RuntimeError } from './errors';
import { assertHardened, hardenHostConfig } from './hardening';
import { testSpec } from './test-support/engines';

describe('containerCreateOptions', () => {
  const spec = testSpec('run1', 'tenant1', 'web', {
    image: 'caas/busybox:1',
    command: ['httpd', '-f'],
    entrypoint: ['/bin/sh', '-c'],
    env: { A: '1', B: 'x=y' },
    ports: [
      { containerPort: 8080, hostPort: 30001, protocol: 'tcp', hostIp: '127.0.0.1' },
      { containerPort: 8080, hostPort: 30002, protocol: 'tcp', hostIp: '10.0.0.1' },
      { containerPort: 53, hostPort: 30003, protocol: 'udp', hostIp: '127.0.0.1' },
    ],
    resources: { cpus: 1.5, memoryMb: 256, pidsLimit: 100 },
    volumes: [{ volumeName: 'tenant1-data', mountPath: '/data', readOnly: true }],
    restartPolicy: 'unless-stopped',
    healthCheck: { test: ['CMD', 'true'], intervalSeconds: 0.5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 10 },
  });

  it('maps every field of the spec', () => {
    const options = containerCreateOptions(spec);
    expect(options).toMatchObject({
      name: 'caas-run1-web',
      Image: 'caas/busybox:1',
      Cmd: ['httpd', '-f'],
      Entrypoint: ['/bin/sh', '-c'],
      Env: ['A=1', 'B=x=y'],
      ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
      Tty: false,
      Labels: { 'caas.managed': 'true', 'caas.tenant': 'tenant1', 'caas.container': 'run1-web' },
      Healthcheck: { Test: ['CMD', 'true'], Interval: 5e8, Timeout: 2e9, Retries: 3, StartPeriod: 1e10 },
    });
    expect(options.HostConfig).toMatchObject({
      NanoCpus: 1_500_000_000,
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      PidsLimit: 100,
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
      NetworkMode: 'caas-tenant-tenant1',
      PortBindings: {
        '8080/tcp': [
          { HostIp: '127.0.0.1', HostPort: '30001' },
          { HostIp: '10.0.0.1', HostPort: '30002' },
        ],
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '30003' }],
      },
      Mounts: [{ Type: 'volume', Source: 'tenant1-data', Target: '/data', ReadOnly: true }],
      Privileged: false,
    });
    expect(options.HostConfig?.Binds).toBeUndefined();
  });

  it('leaves the image defaults alone when the spec has no command or entrypoint', () => {
    const options = containerCreateOptions({
      ...spec,
      command: undefined,
      entrypoint: undefined,
      healthCheck: undefined,
    });
    expect(options).not.toHaveProperty('Cmd');
    expect(options).not.toHaveProperty('Entrypoint');
    expect(options).not.toHaveProperty('Healthcheck');
  });

  it('cannot be told to stop managing a container', () => {
    const options = containerCreateOptions({ ...spec, labels: { ...spec.labels, 'caas.managed': 'false' } });
    expect(options.Labels?.['caas.managed']).toBe('true');
  });

  it('refuses a volume that would be a host path', () => {
    for (const volumeName of ['/var/run/docker.sock', '../etc', '/']) {
      expect(() =>
        containerCreateOptions({ ...spec, volumes: [{ volumeName, mountPath: '/x', readOnly: false }] }),
      ).toThrow(RuntimeError);
    }
  });
});

describe('hardening', () => {
  it('adds the policy to what the driver set, list fields unioned', () => {
    const merged = hardenHostConfig({
      SecurityOpt: ['label=disable'],
      CapDrop: ['SYS_PTRACE', 'NET_RAW'],
      Privileged: true,
    });
    expect(merged.Privileged).toBe(false);
    expect(merged.SecurityOpt).toEqual(
      expect.arrayContaining(['label=disable', expect.stringMatching(/^no-new-privileges/)]),
    );
    expect(merged.CapDrop).toEqual(expect.arrayContaining(['SYS_PTRACE', ...DROPPED_CAPABILITIES]));
    expect(new Set(merged.CapDrop).size).toBe(merged.CapDrop.length);
    expect(merged).toMatchObject({ IpcMode: 'private', PublishAllPorts: false });
  });

  it('refuses what must never reach an engine, whatever the policy constant says', () => {
    const base = { SecurityOpt: ['no-new-privileges:true'] };
    expect(() => assertHardened(base)).not.toThrow();
    for (const bad of [
      { Privileged: true },
      { Binds: ['/var/run/docker.sock:/var/run/docker.sock'] },
      { Mounts: [{ Type: 'bind' as const, Source: '/', Target: '/host' }] },
      { CapAdd: ['SYS_ADMIN'] },
      { Devices: [{ PathOnHost: '/dev/kmsg' }] },
      { NetworkMode: 'host' },
      { PidMode: 'host' },
      { IpcMode: 'container:abc' },
      { SecurityOpt: ['seccomp=unconfined', 'no-new-privileges'] },
      { SecurityOpt: [] },
    ]) {
      expect(() => assertHardened({ ...base, ...bad })).toThrow(/not hardened/);
    }
  });
});
