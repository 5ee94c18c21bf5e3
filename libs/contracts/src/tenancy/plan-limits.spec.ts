import { CaasError } from '../errors';
import {
  BYTES_PER_MB,
  NO_DEMAND,
  type ResourceDemand,
  checkQuota,
  demandOf,
  limitsExceeded,
  quotaBreach,
} from './plan-limits';

/** The free plan's figures (services/tenancy/src/plan/plan.catalogue.ts). */
const FREE = { maxContainers: 2, maxVcpu: 1, maxMemoryMb: 1024, maxImageStorageMb: 50 };
const SMALL = { cpus: 0.1, memoryMb: 64 };

function refusal(action: () => void): CaasError {
  try {
    action();
  } catch (error) {
    if (error instanceof CaasError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const usage = (demand: Partial<ResourceDemand>): ResourceDemand => ({ ...NO_DEMAND, ...demand });

describe('checkQuota', () => {
  describe('given a tenant within its plan', () => {
    it('when the request reaches a limit exactly, then it is allowed (cpus compared in hundredths)', () => {
      const inUse = usage({ containers: 1, cpus: 0.1 + 0.2, memoryMb: 512 });
      expect(() => checkQuota(FREE, inUse, { containers: 1, cpus: 0.7, memoryMb: 512 })).not.toThrow();
    });

    it('when a third container is asked of the free plan, then it is refused naming maxContainers', () => {
      const error = refusal(() => checkQuota(FREE, demandOf(2, SMALL), demandOf(1, SMALL)));
      expect(error.code).toBe('quota_exceeded');
      expect(error.message).toBe('Quota exceeded: maxContainers is 2, 2 in use, 1 more requested');
      expect(error.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 2, requested: 1 });
    });

    it('when the request passes maxVcpu or maxMemoryMb, then the refusal names it with what is in use and asked', () => {
      const cpu = refusal(() => checkQuota(FREE, NO_DEMAND, { containers: 1, cpus: 1.5, memoryMb: 64 }));
      expect(cpu.extra.details).toEqual({ limit: 'maxVcpu', allowed: 1, inUse: 0, requested: 1.5 });
      const memory = refusal(() =>
        checkQuota(FREE, usage({ containers: 1, cpus: 0.5, memoryMb: 1000 }), usage({ memoryMb: 100 })),
      );
      expect(memory.extra.details).toEqual({ limit: 'maxMemoryMb', allowed: 1024, inUse: 1000, requested: 100 });
    });
  });

  describe('given a tenant over one limit (a plan downgrade)', () => {
    const overCpu = usage({ containers: 2, cpus: 3, memoryMb: 256 });

    it('when the request grows another limit or shrinks, then it is allowed', () => {
      expect(() => checkQuota(FREE, overCpu, usage({ memoryMb: 128 }))).not.toThrow();
      expect(() => checkQuota(FREE, overCpu, { containers: -1, cpus: -1, memoryMb: -64 })).not.toThrow();
    });
  });
});

describe('a downgrade from pro to free, with 3 containers running', () => {
  const threeContainers = demandOf(3, SMALL);

  it('given the free plan, when a container is asked, then it is refused naming maxContainers', () => {
    const error = refusal(() => checkQuota(FREE, threeContainers, demandOf(1, SMALL)));
    expect(error.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 3, requested: 1 });
  });

  it('given the free plan, when a container only grows its memory, then it is allowed', () => {
    expect(() => checkQuota(FREE, threeContainers, usage({ memoryMb: 64 }))).not.toThrow();
  });

  it('given the free plan, then limitsExceeded names maxContainers, and only it', () => {
    expect(limitsExceeded(FREE, threeContainers)).toEqual(['maxContainers']);
  });

  it('given one container removed, then the tenant is at the limit, not over it, and still may not add one', () => {
    const two = demandOf(2, SMALL);
    expect(limitsExceeded(FREE, two)).toEqual([]);
    expect(quotaBreach(FREE, two, demandOf(1, SMALL))).toMatchObject({ limit: 'maxContainers' });
  });

  it('given two containers removed, when a container is asked, then it is allowed', () => {
    expect(quotaBreach(FREE, demandOf(1, SMALL), demandOf(1, SMALL))).toBeUndefined();
  });
});

describe('limitsExceeded', () => {
  it('given usage within every limit, then it names none', () => {
    expect(limitsExceeded(FREE, NO_DEMAND)).toEqual([]);
    expect(limitsExceeded(FREE, usage({ containers: 2, cpus: 0.1 + 0.2 + 0.7, memoryMb: 1024 }))).toEqual([]);
  });

  it('given usage over several limits, then it names each, in the plan’s order', () => {
    const over = { containers: 5, cpus: 1.01, memoryMb: 2048, imageStorageMb: 51 };
    expect(limitsExceeded(FREE, over)).toEqual(['maxContainers', 'maxVcpu', 'maxMemoryMb', 'maxImageStorageMb']);
  });
});

describe('image storage (compared to the byte)', () => {
  /** A push's size is unknown until it is done: it needs at least one more byte. */
  const oneMoreByte = usage({ imageStorageMb: 1 / BYTES_PER_MB });
  const stored = (bytes: number) => usage({ imageStorageMb: bytes / BYTES_PER_MB });

  it('given one byte under the limit, when a push asks for room, then it is allowed', () => {
    expect(quotaBreach(FREE, stored(50 * BYTES_PER_MB - 1), oneMoreByte)).toBeUndefined();
  });

  it('given usage exactly at the limit, then a push is refused naming maxImageStorageMb, yet no limit is exceeded', () => {
    const atLimit = stored(50 * BYTES_PER_MB);
    const error = refusal(() => checkQuota(FREE, atLimit, oneMoreByte));
    expect(error.code).toBe('quota_exceeded');
    expect(error.message).toBe('Quota exceeded: maxImageStorageMb is 50, 50 in use');
    expect(error.extra.details).toMatchObject({ limit: 'maxImageStorageMb', allowed: 50, inUse: 50 });
    expect(limitsExceeded(FREE, atLimit)).toEqual([]);
  });

  it('given a push that crossed the limit, then limitsExceeded names maxImageStorageMb', () => {
    expect(limitsExceeded(FREE, stored(50 * BYTES_PER_MB + 1))).toEqual(['maxImageStorageMb']);
  });

  it('given scheduling’s usage, which does not count storage, then storage is never refused nor exceeded', () => {
    expect(quotaBreach(FREE, demandOf(1, SMALL), demandOf(1, SMALL))).toBeUndefined();
    expect(limitsExceeded({ ...FREE, maxImageStorageMb: 0 }, demandOf(1, SMALL))).toEqual([]);
  });
});
