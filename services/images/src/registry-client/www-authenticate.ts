export type Challenge =
  | { readonly scheme: 'basic'; readonly realm?: string }
  | { readonly scheme: 'bearer'; readonly realm: string; readonly service?: string; readonly scope?: string };

/**
 * The challenge of a 401's `WWW-Authenticate` (RFC 7235 auth-params, quoted or not), when
 * it is Basic or Bearer; undefined for anything else, which this client cannot answer.
 * Registries send one challenge per header, so a list of several is not split here.
 */
export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header ?? '');
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  const params = parseParams(match[2]);
  if (scheme === 'basic') return { scheme, realm: params.realm };
  if (scheme === 'bearer' && params.realm) {
    return { scheme, realm: params.realm, service: params.service, scope: params.scope };
  }
  return undefined;
}

function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  // name=value or name="quoted \" value", separated by commas
  const pattern = /\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return params;
}
