import { randomUUID } from 'node:crypto';
import { CaasError, IMAGES, type PullTokenV1, type RegistryToken, parseImageReference } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';

/**
 * Images in the platform registry (`<registry host>/<namespace>/<name>`): whether a
 * tenant may deploy one, and the short-lived token its engine pulls it with. Both are the
 * images service's answers, asked as the tenant; every other image must already be on
 * the host (the driver never pulls without a platform token).
 */
export class PlatformRegistry {
  constructor(
    /** `host:port` of the platform registry as image references name it; none: no platform images. */
    private readonly host: string | undefined,
    private readonly images: RpcClient | undefined,
    /** Tests only: images listens on `<prefix>.images.…`. */
    private readonly subjectPrefix?: string,
  ) {}

  static none(): PlatformRegistry {
    return new PlatformRegistry(undefined, undefined);
  }

  /** The repository `image` names in the platform registry, or undefined for any other image. */
  repositoryOf(image: string): string | undefined {
    if (!this.host) return undefined;
    const reference = parseImageReference(image);
    return reference.registry === this.host ? reference.repository : undefined;
  }

  /** Refuses (not_found, naming `image`) a platform image the tenant may not pull; other images pass. */
  async requireDeployable(tenantId: string, image: string): Promise<void> {
    if (this.repositoryOf(image)) await this.pullToken(tenantId, image);
  }

  /** `<host>/<repository>:<tag>`: what a commit names its image; undefined without a platform registry. */
  referenceFor(repository: string, tag: string): string | undefined {
    return this.host ? `${this.host}/${repository}:${tag}` : undefined;
  }

  /**
   * A pull+push token for one repository of the caller's tenant, asked with the caller's
   * own headers: images checks the role (writers push) and the namespace.
   */
  async pushToken(meta: RequestMeta, repository: string): Promise<string> {
    if (!this.images) throw new Error('no platform registry is configured');
    const subject = this.subjectPrefix ? `${this.subjectPrefix}.${IMAGES.issuePushToken}` : IMAGES.issuePushToken;
    const token = await this.images.request<RegistryToken>(subject, { repository } satisfies PullTokenV1, meta);
    return token.token;
  }

  /** A pull-only token for this one repository, valid for a couple of minutes. */
  async pullToken(tenantId: string, image: string): Promise<string> {
    const repository = this.repositoryOf(image);
    if (!repository || !this.images) throw new Error(`${image} is not in the platform registry`);
    const meta: RequestMeta = {
      correlationId: randomUUID(),
      actor: { type: 'system', id: 'scheduling' },
      tenantId,
      roles: [],
    };
    const subject = this.subjectPrefix ? `${this.subjectPrefix}.${IMAGES.issuePullToken}` : IMAGES.issuePullToken;
    try {
      const token = await this.images.request<RegistryToken>(subject, { repository } satisfies PullTokenV1, meta);
      return token.token;
    } catch (error) {
      if (error instanceof CaasError && error.code === 'not_found') {
        throw new CaasError('not_found', `image: '${image}' is not in the platform registry, or not yours to deploy`, {
          violations: [
            { field: 'image', rule: 'deployable', message: 'image must be a repository this tenant may pull' },
          ],
        });
      }
      throw error;
    }
  }
}
