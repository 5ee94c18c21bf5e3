/**
 * Scopes of the distribution token spec: `repository:<name>:<action>[,<action>…]`
 * (the registry asks `pull`, `push`, `delete`, or `*`), and `registry:catalog:*`.
 */
export interface RegistryScope {
  readonly type: 'repository' | 'registry';
  readonly name: string;
  readonly actions: readonly string[];
}

/** A granted scope, as the token's `access` claim lists it. */
export interface RegistryAccess {
  readonly type: 'repository' | 'registry';
  readonly name: string;
  readonly actions: string[];
}

/**
 * The distribution's repository name grammar: lower-case path components of
 * alphanumerics joined by `.`, `_`, `__` or dashes, separated by `/`.
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
export const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
/** The distribution's own limit on a repository name. */
export const MAX_REPOSITORY_NAME = 255;

const ACTIONS = new Set(['pull', 'push', 'delete', '*']);

/** The scope, or undefined for one that cannot be read (which the spec says grants nothing). */
export function parseScope(scope: string): RegistryScope | undefined {
  // The name may hold a port-less host part but never a colon; actions come after the last colon.
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter(Boolean);
  if (actions.length === 0 || actions.some((action) => !ACTIONS.has(action))) return undefined;
  if (type === 'registry') return name === 'catalog' ? { type, name, actions } : undefined;
  if (type !== 'repository' || name.length > MAX_REPOSITORY_NAME || !REPOSITORY_NAME.test(name)) return undefined;
  return { type, name, actions: [...new Set(actions)] };
}
