import { CaasError, IMAGES, type ImportedImage, ImportImageV1, WRITING_ROLES } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { tenantMember } from '@caas/messaging/src/rpc/tenant-scope';
import { ReadYourWrites } from '@caas/read-model';
import { Controller, Inject, Logger, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RegistryAdmin } from '../registry/registry-admin';
import { copyImage } from '../registry-client/copy-image';
import { type FetchedManifest, RegistryClient } from '../registry-client/registry-client';
import { repositoryDecider } from '../repository/repository.decider';
import { repositoryIdOf, repositoryStream } from '../repository/repository.events';
import { ImageStorage } from '../quota/image-storage';
import { requireRole } from '../repository/repository.guards';
import { credentialsOf } from '../shared/credentials-input';
import { EVENT_STORE } from '../shared/tokens';
import { RegistryReach } from './import.settings';
import { registryUrlOf } from './registry-url';
import { parseSourceReference } from './source-reference';
import { sourceError } from './source-errors';

/** Tagging is one small PUT of a manifest the registry already holds: retried a few times before giving up. */
const TAG_ATTEMPTS = 3;
const TAG_RETRY_MS = 500;

/**
 * Imports an image from another registry into the caller's namespace. The credentials
 * are used for this one copy: never stored, logged or put in an event.
 *
 * Order, so that nothing is half-applied and ImageImported precedes ImagePushed:
 * 1. copy the image by digest (untagged: the registry's notification of that is ignored);
 * 2. record ImageImported (creating the repository when new);
 * 3. tag it: the registry notifies the push, recorded as ImagePushed as any push.
 * A failure before 2 leaves only an untagged manifest, which nobody sees (and the
 * registry's garbage collection removes); a retry repeats whatever is missing.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class ImportHandlers {
  private readonly logger = new Logger('images.import');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly registry: RegistryAdmin,
    private readonly reach: RegistryReach,
    private readonly storage: ImageStorage,
  ) {}

  @MessagePattern(IMAGES.importImage)
  async importImage(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ImportedImage> {
    const body = await validated(ImportImageV1, payload);
    const caller = tenantMember(meta);
    // Refused before the source is even asked: a viewer learns nothing about it.
    requireRole(caller, WRITING_ROLES, 'import images');
    await this.storage.requireRoom(meta, caller.tenantId, caller.role);
    const source = parseSourceReference(body.source);
    const credentials = credentialsOf(body);
    const repository = `${caller.tenantId}/${body.name}`;
    const repositoryId = repositoryIdOf(repository);
    const tag = body.tag ?? source.tag ?? 'latest';

    const from = new RegistryClient({
      url: registryUrlOf(source.registry, this.reach.insecureRegistries),
      credentials,
    });
    let top: FetchedManifest;
    try {
      top = await from.getManifest(source.repository, source.reference);
    } catch (error) {
      throw sourceError(error, body.source, !!credentials);
    }
    // The source has answered with these credentials: a failure from here on is not the caller's to fix.
    const { size } = await copyImage(
      { client: from, repository: source.repository, reference: top.digest },
      { client: this.registry.client, repository, tag: top.digest },
    );

    const stream = repositoryStream(repositoryId);
    const result = await handleCommand(
      this.store,
      repositoryDecider,
      stream,
      {
        kind: 'RecordImageImported',
        caller,
        repositoryId,
        repository,
        tag,
        digest: top.digest,
        source: body.source,
        size,
        at: new Date().toISOString(),
      },
      contextOf(meta, caller.tenantId),
    );
    await this.tag(repository, tag, top);
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
    this.logger.log(`imported ${body.source} as ${repository}:${tag} (${top.digest})`);
    return { repositoryId, repository, tag, digest: top.digest, size, source: body.source };
  }

  private async tag(repository: string, tag: string, manifest: FetchedManifest): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.registry.client.putManifest(repository, tag, manifest.mediaType, manifest.body);
        return;
      } catch (error) {
        if (attempt >= TAG_ATTEMPTS) {
          this.logger.warn(`tagging ${repository}:${tag} failed: ${(error as Error).message}`);
          throw new CaasError('unavailable', `The image is copied but could not be tagged '${tag}': import it again`);
        }
        await new Promise((resolve) => setTimeout(resolve, TAG_RETRY_MS * attempt));
      }
    }
  }
}
