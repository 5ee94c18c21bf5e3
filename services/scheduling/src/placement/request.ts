import { constraintProblem } from './constraints';
import type { PlacementRequest, PlacementStrategy } from './types';

export function strategyOf(request: PlacementRequest): PlacementStrategy {
  return request.strategy ?? 'spread';
}

/** Anti-affinity applies between replicas of a service, so only when there is a service; on unless turned off. */
export function wantsAntiAffinity(request: PlacementRequest): boolean {
  return request.serviceId !== undefined && request.antiAffinity !== false;
}

/**
 * Throws a RangeError naming the field of a request no placer can answer. The API
 * validates payloads before they get here; this guards the arithmetic (a NaN request
 * would otherwise "not fit" anywhere and blame the hosts' resources).
 */
export function assertPlacementRequest(request: PlacementRequest): void {
  for (const field of ['cpus', 'memoryMb'] as const) {
    const value = request.resources?.[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`placement request: resources.${field} must be a finite number ≥ 0, got ${value}`);
    }
  }
  if (request.strategy !== undefined && request.strategy !== 'spread' && request.strategy !== 'binpack') {
    throw new RangeError(`placement request: strategy must be 'spread' or 'binpack', got ${request.strategy}`);
  }
  (request.constraints ?? []).forEach((constraint, i) => {
    const problem = constraintProblem(constraint);
    if (problem) throw new RangeError(`placement request: constraints[${i}]: ${problem}`);
  });
}
