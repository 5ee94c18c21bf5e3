import {
  CONTAINER_DEFAULTS,
  type CreateServiceV1,
  type ServiceTemplateData,
  type UpdateServiceV1,
} from '@caas/contracts';

type TemplateFields = Partial<ServiceTemplateData>;

/** The template fields, in a fixed order. Refused Docker fields are never copied. */
const TEMPLATE_KEYS = [
  'image',
  'command',
  'entrypoint',
  'env',
  'ports',
  'resources',
  'volumes',
  'restartPolicy',
  'labels',
  'constraints',
  'strategy',
  'healthCheck',
] as const satisfies readonly (keyof ServiceTemplateData)[];

function picked(source: TemplateFields): TemplateFields {
  const result: Record<string, unknown> = {};
  for (const key of TEMPLATE_KEYS) if (source[key] !== undefined) result[key] = source[key];
  return result as TemplateFields;
}

/** The template of revision 1, from the create payload. */
export function templateOf(spec: CreateServiceV1): ServiceTemplateData {
  return picked(spec) as ServiceTemplateData;
}

/** The next revision's template: each field given replaces the old value whole. */
export function mergedTemplate(previous: ServiceTemplateData, changes: UpdateServiceV1): ServiceTemplateData {
  return { ...previous, ...picked(changes as TemplateFields) } as ServiceTemplateData;
}

export const strategyOf = (template: ServiceTemplateData) => template.strategy ?? CONTAINER_DEFAULTS.strategy;

/** Structural equality of plain data (key order of objects does not matter). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}
