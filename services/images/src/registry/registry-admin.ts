import { imageSize } from '../registry-client/copy-image';
import { RegistryClient } from '../registry-client/registry-client';
import { type RegistryScope, parseScope } from './registry-scope';
import type { RegistryTokenSigner } from './registry-token.signer';
import { isRegistryNotFound } from '../registry-client/registry-error';

/** Who the registry logs for the images service's own calls. */
export const IMAGES_SERVICE_SUBJECT = 'service:images';

/**
 * The images service's own calls to the platform registry (sizing a pushed image,
 * deleting manifests), with tokens it signs for itself: exactly the scopes each call
 * asks, for the shortest time.
 */
export class RegistryAdmin {
  readonly client: RegistryClient;

  constructor(registryUrl: string, signer: RegistryTokenSigner) {
    this.client = new RegistryClient({
      url: registryUrl,
      bearer: async (scopes) => {
        const access = scopes
          .map(parseScope)
          .filter((scope): scope is RegistryScope => !!scope)
          .map(({ type, name, actions }) => ({ type, name, actions: [...actions] }));
        return signer.sign(IMAGES_SERVICE_SUBJECT, access, 60).token;
      },
    });
  }

  /** Bytes the registry holds for the manifest: itself, its config and layers (an index: its manifests'). */
  async sizeOf(repository: string, digest: string): Promise<number> {
    return (await imageSize(this.client, repository, digest)).size;
  }

  /** Deletes the manifest (and so every tag at it); one already gone is fine. */
  async deleteImage(repository: string, digest: string): Promise<void> {
    try {
      await this.client.deleteManifest(repository, digest);
    } catch (error) {
      if (!isRegistryNotFound(error)) throw error;
    }
  }
}
