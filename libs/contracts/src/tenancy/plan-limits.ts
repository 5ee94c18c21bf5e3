import { CaasError } from '../errors';
import { CONTAINER_LIMITS } from '../scheduling/scheduling.limits';
import type { PlanQuotas } from './tenancy.events';

/**
 * The one rule for a plan's limits: which limit a request would pass, and which limits a
 * tenant is already over. Every service that enforces a plan (scheduling for compute,
 * images for storage) counts its own usage and asks this module, so a refusal reads the
 * same everywhere and a downgrade is treated the same way everywhere.
 */

/**
 * What counts against a plan. Each service counts only what it keeps: scheduling the
 * containers, vCPUs and memory of its desired state, images the storage in the platform
 * registry. A count left out is 0.
 */
export interface ResourceDemand {
  readonly containers: number;
  readonly cpus: number;
  readonly memoryMb: number;
  /** Megabytes of images in the platform registry (fractions count: storage is compared to the byte). */
  readonly imageStorageMb?: number;
}

export type QuotaLimit = 'maxContainers' | 'maxVcpu' | 'maxMemoryMb' | 'maxImageStorageMb';

/** The part of a plan's quotas this rule enforces. */
export type PlanLimits = Pick<PlanQuotas, QuotaLimit>;

export const NO_DEMAND: ResourceDemand = { containers: 0, cpus: 0, memoryMb: 0 };

export const BYTES_PER_MB = 1024 * 1024;

/** `replicas` copies of one container's resources. */
export function demandOf(replicas: number, resources: { cpus: number; memoryMb: number }): ResourceDemand {
  return { containers: replicas, cpus: replicas * resources.cpus, memoryMb: replicas * resources.memoryMb };
}

/** A limit a request would pass: what the plan allows, what is in use, what was asked. */
export interface QuotaBreach {
  readonly limit: QuotaLimit;
  readonly allowed: number;
  readonly inUse: number;
  readonly requested: number;
}

/**
 * Each limit with the precision it is compared in, so sums of fractions compare exactly:
 * CPUs in hundredths (the contract's precision, so 0.1 + 0.2 is exactly 0.3), image
 * storage in bytes (what the registry counts).
 */
const LIMITS: ReadonlyArray<{ limit: QuotaLimit; of: (demand: ResourceDemand) => number; scale: number }> = [
  { limit: 'maxContainers', of: (demand) => demand.containers, scale: 1 },
  { limit: 'maxVcpu', of: (demand) => demand.cpus, scale: 10 ** CONTAINER_LIMITS.cpus.decimals },
  { limit: 'maxMemoryMb', of: (demand) => demand.memoryMb, scale: 1 },
  { limit: 'maxImageStorageMb', of: (demand) => demand.imageStorageMb ?? 0, scale: BYTES_PER_MB },
];

const units = (value: number, scale: number) => Math.round(value * scale);

/**
 * The first limit that usage plus the request would pass, or undefined when the plan has
 * room. Only limits the request adds to are checked: scaling down, or growing memory
 * alone, is never refused for a limit the tenant was already over (a plan downgrade).
 */
export function quotaBreach(
  quotas: PlanLimits,
  usage: ResourceDemand,
  requested: ResourceDemand,
): QuotaBreach | undefined {
  for (const { limit, of, scale } of LIMITS) {
    const wanted = units(of(requested), scale);
    if (wanted <= 0) continue;
    const [allowed, inUse] = [units(quotas[limit], scale), units(of(usage), scale)];
    if (inUse + wanted <= allowed) continue;
    return { limit, allowed: allowed / scale, inUse: inUse / scale, requested: wanted / scale };
  }
  return undefined;
}

/** Refuses with `quota_exceeded`, naming the first limit the request would pass (see quotaBreach). */
export function checkQuota(quotas: PlanLimits, usage: ResourceDemand, requested: ResourceDemand): void {
  const breach = quotaBreach(quotas, usage, requested);
  if (!breach) return;
  const { limit, allowed, inUse, requested: wanted } = breach;
  // An image push asks for "at least one byte": too little to show, so not shown.
  const asked = shown(wanted) > 0 ? `, ${shown(wanted)} more requested` : '';
  throw new CaasError(
    'quota_exceeded',
    `Quota exceeded: ${limit} is ${shown(allowed)}, ${shown(inUse)} in use${asked}`,
    {
      details: { ...breach },
    },
  );
}

/**
 * The limits usage is already over, in the plan's order: after a downgrade, or an image
 * push that crossed the storage limit. Being at a limit is not being over it.
 */
export function limitsExceeded(quotas: PlanLimits, usage: ResourceDemand): QuotaLimit[] {
  return LIMITS.filter(({ limit, of, scale }) => units(of(usage), scale) > units(quotas[limit], scale)).map(
    ({ limit }) => limit,
  );
}

/** Two decimals are enough for a person; the details carry the exact figures. */
const shown = (value: number) => Number(value.toFixed(2));
