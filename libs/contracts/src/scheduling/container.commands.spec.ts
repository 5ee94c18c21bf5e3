import { CreateContainerV1, ContainerLogsV1 } from './container.commands';
import { CreateServiceV1, UpdateServiceV1 } from './service.commands';
import { ENVIRONMENT_ID, VALID_TEMPLATE, violationsOf } from './spec-helpers';
import { plainToInstance } from 'class-transformer';

const createContainer = (change: object) =>
  violationsOf(CreateContainerV1, { ...VALID_TEMPLATE, environmentId: ENVIRONMENT_ID, ...change });
const fieldsOf = (violations: { field: string; rule: string }[]) => violations.map((v) => `${v.field}:${v.rule}`);

describe('CreateContainerV1', () => {
  it('accepts a complete valid container', async () => {
    expect(await createContainer({})).toEqual([]);
  });

  it('accepts the minimum: image, resources, environment', async () => {
    const minimal = { image: 'busybox', resources: { cpus: 0.05, memoryMb: 16 }, environmentId: ENVIRONMENT_ID };
    expect(await violationsOf(CreateContainerV1, minimal)).toEqual([]);
  });

  describe('refuses the Docker options that give a container the host, naming the field', () => {
    // One case per refused field; the payload is otherwise valid, so the only violation is the refusal.
    const cases: [string, object, string, RegExp][] = [
      ['privileged', { privileged: true }, 'privileged', /privileged containers are not allowed/],
      ['capAdd', { capAdd: ['SYS_ADMIN'] }, 'capAdd', /capabilities \(SYS_ADMIN\)/],
      ['binds: the Docker socket', { binds: ['/var/run/docker.sock:/var/run/docker.sock'] }, 'binds', /Docker socket/],
      ['binds: a host path', { binds: ['/etc:/host-etc:ro'] }, 'binds', /host bind mounts/],
      ['mounts', { mounts: [{ type: 'bind', source: '/', target: '/host' }] }, 'mounts', /use volumes/],
      ['volumesFrom', { volumesFrom: ['other-container'] }, 'volumesFrom', /another container's volumes/],
      [
        'volume named like the Docker socket',
        { volumes: [{ name: '/var/run/docker.sock', mountPath: '/var/run/docker.sock' }] },
        'volumes.0.name',
        /Docker socket/,
      ],
      [
        'volume named like a path',
        { volumes: [{ name: './data', mountPath: '/data' }] },
        'volumes.0.name',
        /is a host path/,
      ],
      [
        'volume hostPath',
        { volumes: [{ name: 'data', mountPath: '/data', hostPath: '/srv' }] },
        'volumes.0.hostPath',
        /host paths cannot be mounted/,
      ],
      ['volume mounted on /', { volumes: [{ name: 'data', mountPath: '/' }] }, 'volumes.0.mountPath', /root/],
      [
        'volume mounted under /proc',
        { volumes: [{ name: 'data', mountPath: '/proc/sys' }] },
        'volumes.0.mountPath',
        /\/proc belongs/,
      ],
      ['networkMode host', { networkMode: 'host' }, 'networkMode', /host's network namespace/],
      ['networkMode container:', { networkMode: 'container:db' }, 'networkMode', /another container's network/],
      ['networkMode bridge', { networkMode: 'bridge' }, 'networkMode', /tenant's network/],
      ['pidMode host', { pidMode: 'host' }, 'pidMode', /host's PID namespace/],
      ['ipcMode host', { ipcMode: 'host' }, 'ipcMode', /host's IPC namespace/],
      ['utsMode host', { utsMode: 'host' }, 'utsMode', /host's UTS namespace/],
      ['cgroupnsMode host', { cgroupnsMode: 'host' }, 'cgroupnsMode', /host's cgroup namespace/],
      ['userns host', { userns: 'host' }, 'userns', /host's user namespace/],
      ['devices', { devices: ['/dev/sda:/dev/sda:rwm'] }, 'devices', /host devices/],
      [
        'securityOpt seccomp=unconfined',
        { securityOpt: ['seccomp=unconfined'] },
        'securityOpt',
        /seccomp=unconfined is not allowed/,
      ],
      [
        'securityOpt apparmor=unconfined',
        { securityOpt: ['apparmor=unconfined'] },
        'securityOpt',
        /apparmor=unconfined is not allowed/,
      ],
      [
        'securityOpt seccomp:unconfined (old syntax)',
        { securityOpt: ['seccomp:unconfined'] },
        'securityOpt',
        /unconfined/,
      ],
      ['securityOpt custom profile', { securityOpt: ['seccomp=/tmp/allow-all.json'] }, 'securityOpt', /platform sets/],
      ['sysctls', { sysctls: { 'net.ipv4.ip_forward': '1' } }, 'sysctls', /sysctls/],
      ['port hostPort', { ports: [{ containerPort: 80, hostPort: 80 }] }, 'ports.0.hostPort', /allocates host ports/],
      ['port hostPort 0', { ports: [{ containerPort: 80, hostPort: 0 }] }, 'ports.0.hostPort', /allocates host ports/],
      ['port hostIp', { ports: [{ containerPort: 80, hostIp: '0.0.0.0' }] }, 'ports.0.hostIp', /chooses the address/],
    ];

    it.each(cases)('%s', async (_name, change, field, message) => {
      const violations = await createContainer(change);
      expect(violations).toEqual([{ field, rule: 'forbidden', message: expect.stringMatching(message) }]);
    });

    it.each([
      [
        'service create',
        (change: object) =>
          violationsOf(CreateServiceV1, {
            ...VALID_TEMPLATE,
            environmentId: ENVIRONMENT_ID,
            name: 'web',
            replicas: 1,
            ...change,
          }),
      ],
      ['service update', (change: object) => violationsOf(UpdateServiceV1, { serviceId: ENVIRONMENT_ID, ...change })],
    ])('the same on %s', async (_name, check) => {
      for (const [, change, field] of cases) {
        expect(fieldsOf(await check(change))).toEqual([`${field}:forbidden`]);
      }
    });
  });

  it('names every refused field at once, not just the first', async () => {
    const violations = await createContainer({
      privileged: true,
      capAdd: ['NET_ADMIN'],
      binds: ['/var/run/docker.sock:/var/run/docker.sock'],
      networkMode: 'host',
      ports: [{ containerPort: 80, hostPort: 80 }],
    });
    expect(fieldsOf(violations).sort()).toEqual(
      ['binds', 'capAdd', 'networkMode', 'ports.0.hostPort', 'privileged'].map((f) => `${f}:forbidden`),
    );
  });

  it('accepts the values that ask for nothing (generic Docker tooling sends them)', async () => {
    const harmless = {
      privileged: false,
      capAdd: [],
      binds: [],
      devices: [],
      sysctls: {},
      securityOpt: ['no-new-privileges:true'],
    };
    expect(await createContainer(harmless)).toEqual([]);
  });

  it('refuses other unknown fields by name (Engine API casing included)', async () => {
    const violations = await createContainer({ HostConfig: { Privileged: true }, cap_add: ['ALL'] });
    expect(fieldsOf(violations).sort()).toEqual(['HostConfig:whitelistValidation', 'cap_add:whitelistValidation']);
  });

  describe('image', () => {
    it.each([
      'busybox',
      'nginx:1.27',
      'library/nginx:1.27-alpine',
      'registry.example.com/acme/web:1.4.2',
      'localhost:5000/acme/web',
      'registry:5000/acme/web:latest',
      'caas/base@sha256:' + 'a'.repeat(64),
      'my_app__v2/worker-1.x:2024.11.22',
    ])('accepts %s', async (image) => {
      expect(await createContainer({ image })).toEqual([]);
    });

    it.each(['', 'Nginx', 'nginx:', 'nginx:-x', 'a b', '/etc/passwd', 'http://registry/x', 'nginx@sha256:xyz'])(
      'refuses %j',
      async (image) => {
        expect(fieldsOf(await createContainer({ image }))).toContain('image:matches');
      },
    );

    it('refuses more than 512 characters', async () => {
      expect(fieldsOf(await createContainer({ image: 'x'.repeat(513) }))).toEqual(['image:maxLength']);
    });
  });

  describe('shape and bounds', () => {
    it.each<[string, object, string]>([
      ['command not strings', { command: ['sh', 1] }, 'command:isString'],
      ['command too long', { command: Array(257).fill('x') }, 'command:arrayMaxSize'],
      ['env name with -', { env: { 'A-B': 'x' } }, 'env:env'],
      ['env name starting with a digit', { env: { '1X': 'x' } }, 'env:env'],
      ['env value not a string', { env: { A: 1 } }, 'env:env'],
      ['env too many', { env: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`V${i}`, 'x'])) }, 'env:env'],
      ['env too large', { env: { A: 'x'.repeat(32_769) } }, 'env:env'],
      ['env an array', { env: ['A=1'] }, 'env:env'],
      ['port 0', { ports: [{ containerPort: 0 }] }, 'ports.0.containerPort:min'],
      ['port 65536', { ports: [{ containerPort: 65536 }] }, 'ports.0.containerPort:max'],
      ['port protocol sctp', { ports: [{ containerPort: 80, protocol: 'sctp' }] }, 'ports.0.protocol:isIn'],
      [
        'the same port twice',
        { ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'tcp' }] },
        'ports:uniquePorts',
      ],
      ['cpus below 0.05', { resources: { cpus: 0.04, memoryMb: 64 } }, 'resources.cpus:min'],
      ['cpus above 64', { resources: { cpus: 64.5, memoryMb: 64 } }, 'resources.cpus:max'],
      ['cpus finer than 0.01', { resources: { cpus: 0.125, memoryMb: 64 } }, 'resources.cpus:isNumber'],
      ['memory below 16 MB', { resources: { cpus: 1, memoryMb: 15 } }, 'resources.memoryMb:min'],
      ['memory above 256 GB', { resources: { cpus: 1, memoryMb: 262_145 } }, 'resources.memoryMb:max'],
      ['pidsLimit 0', { resources: { cpus: 1, memoryMb: 64, pidsLimit: 0 } }, 'resources.pidsLimit:min'],
      ['pidsLimit above 4096', { resources: { cpus: 1, memoryMb: 64, pidsLimit: 4097 } }, 'resources.pidsLimit:max'],
      ['resources missing', { resources: undefined }, 'resources:isObject'],
      ['volume name with a space', { volumes: [{ name: 'my data', mountPath: '/data' }] }, 'volumes.0.name:volumeName'],
      ['relative mountPath', { volumes: [{ name: 'data', mountPath: 'data' }] }, 'volumes.0.mountPath:absolutePath'],
      [
        'mountPath with ..',
        { volumes: [{ name: 'data', mountPath: '/data/../etc' }] },
        'volumes.0.mountPath:absolutePath',
      ],
      [
        'two volumes on one path',
        {
          volumes: [
            { name: 'a', mountPath: '/d' },
            { name: 'b', mountPath: '/d' },
          ],
        },
        'volumes:uniqueMountPaths',
      ],
      ['restartPolicy unknown', { restartPolicy: 'sometimes' }, 'restartPolicy:isIn'],
      ['a caas.* label', { labels: { 'caas.tenant': 'someone-else' } }, 'labels:labels'],
      ['selector == without value', { constraints: [{ key: 'disk', op: '==' }] }, 'constraints.0.value:selectorValue'],
      [
        'selector exists with value',
        { constraints: [{ key: 'gpu', op: 'exists', value: 'x' }] },
        'constraints.0.value:selectorValue',
      ],
      ['selector op unknown', { constraints: [{ key: 'disk', op: '~=', value: 'x' }] }, 'constraints.0.op:isIn'],
      ['health check not CMD', { healthCheck: { test: ['wget', 'x'] } }, 'healthCheck.test:healthCheckTest'],
      [
        'health check interval 0',
        { healthCheck: { test: ['CMD', 'true'], intervalSeconds: 0 } },
        'healthCheck.intervalSeconds:min',
      ],
      ['environment not a UUID', { environmentId: 'prod' }, 'environmentId:isUuid'],
      ['strategy unknown', { strategy: 'random' }, 'strategy:isIn'],
    ])('refuses %s', async (_name, change, expected) => {
      expect(fieldsOf(await createContainer(change))).toContain(expected);
    });
  });
});

describe('ContainerLogsV1', () => {
  const containerId = ENVIRONMENT_ID;

  it('bounds tail to 1–10000', async () => {
    expect(fieldsOf(await violationsOf(ContainerLogsV1, { containerId, tail: 0 }))).toEqual(['tail:min']);
    expect(fieldsOf(await violationsOf(ContainerLogsV1, { containerId, tail: 10_001 }))).toEqual(['tail:max']);
    expect(await violationsOf(ContainerLogsV1, { containerId, tail: 10_000, follow: true })).toEqual([]);
  });

  it('reads tail and follow from query-string text', async () => {
    expect(await violationsOf(ContainerLogsV1, { containerId, tail: '50', follow: 'true' })).toEqual([]);
    expect(plainToInstance(ContainerLogsV1, { containerId, tail: '50', follow: 'false' })).toMatchObject({
      tail: 50,
      follow: false,
    });
    expect(fieldsOf(await violationsOf(ContainerLogsV1, { containerId, tail: 'all' }))).toContain('tail:isInt');
  });
});
