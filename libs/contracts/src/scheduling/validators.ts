import { ValidateBy, type ValidationOptions } from 'class-validator';
import { FORBIDDEN_RULE, type RefusalCheck } from './container-refusals';
import { CONTAINER_LIMITS } from './scheduling.limits';

/**
 * The contract's own rules, for what class-validator has no decorator for. Each is
 * a function that answers what is wrong (or undefined), so the violation message
 * says exactly which key or item broke the rule.
 */
type Problem = (value: unknown, object: object) => string | undefined;

function Satisfies(rule: string, problem: Problem, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: rule,
      validator: {
        validate: (value: unknown, args) => problem(value, args?.object ?? {}) === undefined,
        defaultMessage: (args) => (args ? problem(args.value, args.object) : undefined) ?? `${rule} failed`,
      },
    },
    options,
  );
}

/** The field exists in the class only to be refused by name, with the reason. */
export const Refused = (check: RefusalCheck): PropertyDecorator => Satisfies(FORBIDDEN_RULE, (value) => check(value));

/** Anything else the class declares with a rule of its own. */
export const Rule = (rule: string, problem: Problem): PropertyDecorator => Satisfies(rule, problem);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** POSIX portable environment variable names: letters, digits, underscore, not starting with a digit. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envProblem: Problem = (value) => {
  if (!isRecord(value)) return 'env must be an object of names to string values';
  const entries = Object.entries(value);
  const limits = CONTAINER_LIMITS;
  if (entries.length > limits.envEntries) return `env must have at most ${limits.envEntries} variables`;
  let total = 0;
  for (const [name, text] of entries) {
    if (!ENV_NAME.test(name) || name.length > limits.envNameLength) {
      return `env name '${name.slice(0, 64)}' must be letters, digits and _, not starting with a digit, at most ${limits.envNameLength} characters`;
    }
    if (typeof text !== 'string') return `env.${name} must be a string`;
    if (text.length > limits.envValueLength) return `env.${name} must be at most ${limits.envValueLength} characters`;
    if (text.includes('\0')) return `env.${name} must not contain NUL characters`;
    total += name.length + text.length;
  }
  return total > limits.envTotalLength ? `env must be at most ${limits.envTotalLength} characters in all` : undefined;
};

/** Label keys: DNS-ish, with `.` and `/` for namespaces (`team`, `example.com/tier`). */
export const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/;

/** `caas.*` labels are the platform's own (tenant, service, replica…), on every engine. */
export const RESERVED_LABEL_PREFIX = 'caas.';

export const labelsProblem =
  (field: string, reserved: boolean): Problem =>
  (value) => {
    if (!isRecord(value)) return `${field} must be an object of keys to string values`;
    const entries = Object.entries(value);
    const limits = CONTAINER_LIMITS;
    if (entries.length > limits.labels) return `${field} must have at most ${limits.labels} entries`;
    for (const [key, text] of entries) {
      if (!LABEL_KEY.test(key) || key.length > limits.labelKeyLength) {
        return `${field} key '${key.slice(0, 64)}' must be letters, digits, . _ / -, at most ${limits.labelKeyLength} characters`;
      }
      if (reserved && key.startsWith(RESERVED_LABEL_PREFIX)) {
        return `${field} key '${key}' is reserved: ${RESERVED_LABEL_PREFIX}* labels belong to the platform`;
      }
      if (typeof text !== 'string' || text.length > limits.labelValueLength) {
        return `${field}.${key} must be a string of at most ${limits.labelValueLength} characters`;
      }
    }
    return undefined;
  };

/** Items of a list that must be unique by a key (a port and protocol, a mount path). */
export const uniqueProblem =
  (field: string, keyOf: (item: Record<string, unknown>) => string): Problem =>
  (value) => {
    if (!Array.isArray(value)) return undefined;
    const seen = new Set<string>();
    for (const item of value) {
      if (!isRecord(item)) continue;
      const key = keyOf(item);
      if (seen.has(key)) return `${field} must not repeat ${key}`;
      seen.add(key);
    }
    return undefined;
  };

/** Absolute, normalised: no `.`/`..` segments, no `//`, no trailing `/`. */
export const absolutePathProblem =
  (field: string): Problem =>
  (value) => {
    if (typeof value !== 'string' || !value.startsWith('/')) return `${field} must be an absolute path`;
    if (value.length > CONTAINER_LIMITS.mountPathLength) {
      return `${field} must be at most ${CONTAINER_LIMITS.mountPathLength} characters`;
    }
    const segments = value.split('/').slice(1);
    if (value !== '/' && segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
      return `${field} must be a normalised path (no empty, . or .. segments, no trailing /)`;
    }
    // `:` and `,` are separators in Docker's `-v`/`--mount` strings: refusing them keeps
    // a path from ever being read as extra mount options, whatever syntax a driver uses.
    return /[\0:,]/.test(value) ? `${field} must not contain NUL, : or ,` : undefined;
  };
