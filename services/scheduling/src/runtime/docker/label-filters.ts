import { LABELS } from '../runtime-spec';

/**
 * Engine `label` filters for platform objects: always `caas.managed=true`, so a list or
 * an event feed never sees containers someone else runs on the same engine.
 */
export function labelFilters(labels: Readonly<Record<string, string>> = {}): string[] {
  const wanted = { ...labels, [LABELS.managed]: 'true' };
  return Object.entries(wanted).map(([key, value]) => `${key}=${value}`);
}
