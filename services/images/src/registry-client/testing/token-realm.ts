import { type Server, createServer } from 'node:http';
import { freePort } from '@caas/testing';
import type { RegistryTokenSigner } from '../../registry/registry-token.signer';
import { type RegistryAccess, parseScope } from '../../registry/registry-scope';

/** Actions a user may have, by repository name: the realm grants the intersection with what is asked. */
export type RealmRights = Record<string, Record<string, string[]>>;

export interface RealmRequest {
  /** The Basic user, '' when anonymous. */
  readonly user: string;
  readonly scopes: string[];
  readonly service: string | null;
}

export interface TokenRealm {
  /** The realm URL, for the registry's `auth.token.realm`. */
  readonly url: string;
  /** Every token request answered so far (refused ones too), oldest first. */
  readonly requests: RealmRequest[];
  /** What each user may do; tests change it between steps. */
  readonly rights: RealmRights;
  /** Lifetime of the tokens it signs from now on. */
  ttlSeconds: number;
  close(): Promise<void>;
}

/**
 * A tiny token realm in the spec's process, standing in for the images service's
 * endpoint: checks Basic credentials against `users` and signs a token granting what
 * `rights` allow of the scopes asked, no more. Wrong credentials get a 401.
 */
export async function startTokenRealm(options: {
  signer: RegistryTokenSigner;
  users: Readonly<Record<string, string>>;
  rights?: RealmRights;
  ttlSeconds?: number;
}): Promise<TokenRealm> {
  const port = await freePort();
  const realm: TokenRealm = {
    url: `http://127.0.0.1:${port}/token`,
    requests: [],
    rights: options.rights ?? {},
    ttlSeconds: options.ttlSeconds ?? 300,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', realm.url);
    const user = basicUser(request.headers.authorization, options.users);
    const scopes = url.searchParams.getAll('scope').flatMap((scope) => scope.split(' ').filter(Boolean));
    realm.requests.push({ user: user ?? '?', scopes, service: url.searchParams.get('service') });
    if (user === undefined) {
      response.writeHead(401, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    const access = scopes.flatMap((text): RegistryAccess[] => {
      const scope = parseScope(text);
      const allowed = realm.rights[user]?.[scope?.name ?? ''] ?? [];
      const actions = scope?.actions.filter((action) => allowed.includes(action)) ?? [];
      return scope && actions.length > 0 ? [{ type: scope.type, name: scope.name, actions }] : [];
    });
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(options.signer.sign(user, access, realm.ttlSeconds)));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return realm;
}

/** The user name when the Basic credentials are right, '' without any, undefined when wrong. */
function basicUser(header: string | undefined, users: Readonly<Record<string, string>>): string | undefined {
  if (!header) return '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return colon > 0 && users[user] === password ? user : undefined;
}
