import { CONTAINER_DEFAULTS, CONTAINER_LIMITS, type FieldViolation } from '@caas/contracts';
import type { RuntimeResources } from '../runtime/runtime-spec';

/**
 * Every container gets a CPU, memory and PIDs limit: a container without one could
 * starve its host's other tenants. The bounds are the contract's; an out-of-bounds or
 * missing limit is refused here even when validation was skipped.
 */
export function resourceLimits(resources: unknown): { resources: RuntimeResources; violations: FieldViolation[] } {
  const given = typeof resources === 'object' && resources !== null ? (resources as Record<string, unknown>) : {};
  const violations: FieldViolation[] = [];
  const limit = (field: string, value: unknown, min: number, max: number, integer: boolean): number => {
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
    if (!ok || (integer && !Number.isInteger(value))) {
      const message = `resources.${field} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}: every container has this limit`;
      violations.push({ field: `resources.${field}`, rule: 'limit', message });
    }
    return value as number;
  };
  const { cpus, memoryMb, pidsLimit } = CONTAINER_LIMITS;
  return {
    resources: {
      cpus: limit('cpus', given.cpus, cpus.min, cpus.max, false),
      memoryMb: limit('memoryMb', given.memoryMb, memoryMb.min, memoryMb.max, true),
      pidsLimit: limit(
        'pidsLimit',
        given.pidsLimit ?? CONTAINER_DEFAULTS.pidsLimit,
        pidsLimit.min,
        pidsLimit.max,
        true,
      ),
    },
    violations,
  };
}
