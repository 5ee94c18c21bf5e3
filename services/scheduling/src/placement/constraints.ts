import type { LabelConstraint } from './types';

/** Whether a host's labels satisfy one selector. */
export function matchesConstraint(labels: Readonly<Record<string, string>>, constraint: LabelConstraint): boolean {
  // hasOwn, not `in`: a label called "constructor" must not match Object.prototype.
  const present = Object.hasOwn(labels, constraint.key);
  switch (constraint.op) {
    case 'exists':
      return present;
    case '==':
      return present && labels[constraint.key] === constraint.value;
    case '!=':
      return !present || labels[constraint.key] !== constraint.value;
  }
}

/** "zone == eu-1", "gpu exists": how reasons name a constraint. */
export function describeConstraint(constraint: LabelConstraint): string {
  return constraint.op === 'exists'
    ? `${constraint.key} exists`
    : `${constraint.key} ${constraint.op} ${constraint.value}`;
}

/** Why a constraint is malformed, or undefined. Requests come from JSON, so the type alone proves nothing. */
export function constraintProblem(constraint: LabelConstraint): string | undefined {
  if (typeof constraint?.key !== 'string' || constraint.key === '') return 'key must be a non-empty string';
  const { op } = constraint as { op: unknown };
  if (op === 'exists') return undefined;
  if (op !== '==' && op !== '!=') return `op must be '==', '!=' or 'exists', not ${JSON.stringify(op)}`;
  if (typeof (constraint as { value?: unknown }).value !== 'string') return `op '${op}' needs a string value`;
  return undefined;
}
