import { X509Certificate, createVerify } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { type TokenSigningKey, createTokenSigningKey } from '@caas/testing';
import type { Visibility } from './registry-access';
import { RegistryTokenService, type VisibilitySource } from './registry-token.service';
import { RegistryTokenSigner } from './registry-token.signer';
import { TenantRoles } from '../shared/tenant-roles';

const ALICE = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const BOB = '9a0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';

/** The read model's answer, as a table: the port the service reads visibility through. */
class Visibilities implements VisibilitySource {
  constructor(private readonly table: Record<string, Visibility>) {}
  async visibilityOf(repository: string) {
    return this.table[repository];
  }
}

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('RegistryTokenService.issuePullToken (what scheduling pulls a deploy’s image with)', () => {
  let key: TokenSigningKey;
  let service: RegistryTokenService;

  beforeAll(async () => {
    key = await createTokenSigningKey();
    const signer = new RegistryTokenSigner({
      keyPem: key.keyPem,
      certPem: key.certPem,
      issuer: 'caas-images',
      service: 'caas-registry',
    });
    const visibilities = new Visibilities({
      [`${ALICE}/web`]: 'private',
      [`${ALICE}/docs`]: 'public',
      [`${ALICE}/internal`]: 'tenant',
    });
    // Pull tokens never ask tenancy: the deploying tenant is in the request.
    service = new RegistryTokenService('caas-registry', signer, new TenantRoles(undefined as never), visibilities);
  });

  afterAll(() => rm(key.dir, { recursive: true, force: true }));

  it('grants pull on that one repository, to the tenant, for two minutes, signed with the key the registry trusts', async () => {
    const { token, expires_in } = await service.issuePullToken(`${ALICE}/web`, ALICE);
    const [header, claims, signature] = token.split('.');
    expect(decode(header!)).toMatchObject({
      alg: 'RS256',
      x5c: [new X509Certificate(key.certPem).raw.toString('base64')],
    });
    const body = decode(claims!);
    expect(body).toMatchObject({
      iss: 'caas-images',
      aud: 'caas-registry',
      sub: `tenant:${ALICE}`,
      access: [{ type: 'repository', name: `${ALICE}/web`, actions: ['pull'] }],
    });
    expect(body.exp - body.iat).toBe(120);
    expect(expires_in).toBe(120);
    const verified = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(new X509Certificate(key.certPem).publicKey, Buffer.from(signature!, 'base64url'));
    expect(verified).toBe(true);
  });

  it('refuses another tenant’s private or tenant-only repository as not found, naming the image', async () => {
    for (const repository of [`${ALICE}/web`, `${ALICE}/internal`, `${ALICE}/never-pushed`]) {
      await expect(service.issuePullToken(repository, BOB)).rejects.toMatchObject({
        code: 'not_found',
        extra: { details: { field: 'image' } },
      });
    }
  });

  it('grants a public repository and the market to anyone', async () => {
    await expect(service.issuePullToken(`${ALICE}/docs`, BOB)).resolves.toMatchObject({ expires_in: 120 });
    await expect(service.issuePullToken('library/nginx', BOB)).resolves.toMatchObject({ expires_in: 120 });
  });

  it('grants nothing outside a namespace', async () => {
    await expect(service.issuePullToken('acme/web', ALICE)).rejects.toMatchObject({ code: 'not_found' });
  });
});
