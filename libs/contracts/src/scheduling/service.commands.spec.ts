import { CreateServiceV1, ScaleServiceV1, UpdateServiceV1 } from './service.commands';
import { ENVIRONMENT_ID, VALID_TEMPLATE, violationsOf } from './spec-helpers';

const SERVICE_ID = '0d9a8c1e-6b2f-4e3a-8f41-2c7d5e9b1a00';
const createService = (change: object) =>
  violationsOf(CreateServiceV1, {
    ...VALID_TEMPLATE,
    environmentId: ENVIRONMENT_ID,
    name: 'web',
    replicas: 3,
    ...change,
  });
const fieldsOf = (violations: { field: string; rule: string }[]) => violations.map((v) => `${v.field}:${v.rule}`);

describe('CreateServiceV1', () => {
  it('accepts a container template with name, replicas and update config', async () => {
    expect(await createService({ strategy: 'binpack', update: { maxUnavailable: 1, maxSurge: 0 } })).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['replicas above 100', { replicas: 101 }, 'replicas:max'],
    ['negative replicas', { replicas: -1 }, 'replicas:min'],
    ['fractional replicas', { replicas: 1.5 }, 'replicas:isInt'],
    ['a name that is not a DNS label', { name: 'Web_1' }, 'name:matches'],
    [
      'an update that cannot progress',
      { update: { maxUnavailable: 0, maxSurge: 0 } },
      'update.maxSurge:rolloutProgress',
    ],
    ['an incomplete update config', { update: { maxSurge: 1 } }, 'update.maxUnavailable:isInt'],
    ['a missing template field', { image: undefined }, 'image:isString'],
  ])('refuses %s', async (_name, change, expected) => {
    expect(fieldsOf(await createService(change))).toContain(expected);
  });

  it('accepts 0 replicas (a service kept but not running)', async () => {
    expect(await createService({ replicas: 0 })).toEqual([]);
  });
});

describe('ScaleServiceV1', () => {
  it('takes a service and 0–100 replicas', async () => {
    expect(await violationsOf(ScaleServiceV1, { serviceId: SERVICE_ID, replicas: 100 })).toEqual([]);
    const violations = await violationsOf(ScaleServiceV1, { serviceId: 'web', replicas: 101 });
    expect(fieldsOf(violations).sort()).toEqual(['replicas:max', 'serviceId:isUuid']);
  });
});

describe('UpdateServiceV1', () => {
  it('accepts any part of the template', async () => {
    expect(await violationsOf(UpdateServiceV1, { serviceId: SERVICE_ID, image: 'acme/web:1.5.0' })).toEqual([]);
    expect(
      await violationsOf(UpdateServiceV1, {
        serviceId: SERVICE_ID,
        env: { A: 'b' },
        update: { maxUnavailable: 1, maxSurge: 1 },
      }),
    ).toEqual([]);
  });

  it('validates what it is given as create does', async () => {
    const violations = await violationsOf(UpdateServiceV1, {
      serviceId: SERVICE_ID,
      image: 'Bad Image',
      resources: { cpus: 100, memoryMb: 64 },
    });
    expect(fieldsOf(violations)).toEqual(['image:matches', 'resources.cpus:max']);
  });

  it('does not move a service to another environment or rename it', async () => {
    const violations = await violationsOf(UpdateServiceV1, {
      serviceId: SERVICE_ID,
      environmentId: ENVIRONMENT_ID,
      name: 'api',
    });
    expect(fieldsOf(violations).sort()).toEqual(['environmentId:whitelistValidation', 'name:whitelistValidation']);
  });
});
