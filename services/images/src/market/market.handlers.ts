import {
  IMAGES,
  ListSubmissionsV1,
  type MarketImageView,
  MarketImageRefV1,
  RejectSubmissionV1,
  SubmissionRefV1,
  type SubmissionView,
  SubmitImageV1,
  conflict,
} from '@caas/contracts';
import { commandEventId, handleCommand, loadState } from '@caas/domain';
import { StreamNotFoundError } from '@caas/event-store';
import { contextOf, newId } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { tenantMember } from '@caas/messaging/src/rpc/tenant-scope';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MARKET_NAMESPACE } from '../registry/registry-access';
import { copyImage } from '../registry-client/copy-image';
import { type RepositoryCommand, repositoryDecider } from '../repository/repository.decider';
import { repositoryIdOf, repositoryStream } from '../repository/repository.events';
import { type DecidingCaller, actorOf, isPlatformAdmin } from './market-caller';
import type { MarketDependencies } from './market.module';
import { type SubmissionCommand, submissionDecider } from './submission.decider';
import { type SubmissionState, submissionStream } from './submission.events';
import { isRegistryNotFound } from '../registry-client/registry-error';

export const MARKET_DEPENDENCIES = Symbol('MarketDependencies');

/**
 * The image market over NATS. Tenants submit their own tags; platform admins approve
 * (the image is copied into `library/<name>:<tag>` and the market repository made
 * public) or reject; anyone authenticated reads the market. Commands answer once the
 * read models show them.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class MarketHandlers {
  constructor(@Inject(MARKET_DEPENDENCIES) private readonly market: MarketDependencies) {}

  @MessagePattern(IMAGES.submitImage)
  async submit(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<SubmissionView> {
    const body = await validated(SubmitImageV1, payload);
    const member = tenantMember(meta);
    const { state: source } = await loadState(
      this.market.store,
      repositoryDecider,
      repositoryStream(body.repositoryId),
    );
    const submissionId = newId(meta, 'submission');
    await this.decide(meta, member.tenantId, submissionId, {
      kind: 'SubmitImage',
      caller: { ...member, actor: actorOf(meta) },
      submissionId,
      repositoryId: body.repositoryId,
      source: source.exists ? source : undefined,
      tag: body.tag,
      marketRepository: `${MARKET_NAMESPACE}/${body.name}`,
      description: body.description,
      usageGuide: body.usageGuide ?? '',
      at: new Date().toISOString(),
    });
    return this.market.queries.submission(submissionId);
  }

  /**
   * Everything is checked before the registry is touched (the submission still pending,
   * the name not another tenant's), then the submitted digest is copied, the market
   * repository recorded, and the approval last. Each step is idempotent, so an approval
   * that failed half way completes when retried; only the approval itself is decided once.
   */
  @MessagePattern(IMAGES.approveSubmission)
  async approve(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<SubmissionView> {
    const { submissionId } = await validated(SubmissionRefV1, payload);
    const caller = decidingCaller(meta);
    if (meta.commandId && (await this.recordedBy(meta.commandId, submissionStream(submissionId)))) {
      // A retry whose first attempt approved (its answer lost): the same answer, not a conflict.
      return this.market.queries.submission(submissionId);
    }
    const { state: submission } = await loadState(this.market.store, submissionDecider, submissionStream(submissionId));
    const marketRepositoryId = repositoryIdOf(submission.marketRepository);
    const approval: SubmissionCommand = {
      kind: 'ApproveSubmission',
      caller,
      submissionId,
      marketRepositoryId,
      at: new Date().toISOString(),
    };
    submissionDecider.decide(approval, submission);
    const marketStream = repositoryStream(marketRepositoryId);
    const { state: market } = await loadState(this.market.store, repositoryDecider, marketStream);
    const publication = (copied: { mediaType: string; size: number }): RepositoryCommand => ({
      kind: 'PublishToMarket',
      repositoryId: marketRepositoryId,
      repository: submission.marketRepository,
      submissionId,
      publisherTenantId: submission.tenantId,
      description: submission.description,
      usageGuide: submission.usageGuide,
      tag: submission.tag,
      digest: submission.digest,
      mediaType: copied.mediaType,
      size: copied.size,
      by: caller.actor,
      at: new Date().toISOString(),
    });
    repositoryDecider.decide(publication({ mediaType: '', size: 0 }), market);

    const copied = await this.copy(submission);
    const published = await handleCommand(
      this.market.store,
      repositoryDecider,
      marketStream,
      publication(copied),
      contextOf(meta, null),
    );
    await this.market.readYourWrites.streamApplied(marketStream, published.nextExpectedRevision);
    await this.decide(meta, submission.tenantId, submissionId, approval);
    return this.market.queries.submission(submissionId);
  }

  @MessagePattern(IMAGES.rejectSubmission)
  async reject(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<SubmissionView> {
    const { submissionId, reason } = await validated(RejectSubmissionV1, payload);
    const caller = decidingCaller(meta);
    const { state } = await loadState(this.market.store, submissionDecider, submissionStream(submissionId));
    await this.decide(meta, state.tenantId, submissionId, {
      kind: 'RejectSubmission',
      caller,
      submissionId,
      reason,
      at: new Date().toISOString(),
    });
    return this.market.queries.submission(submissionId);
  }

  /** A platform admin sees every tenant's (filtered by status); anyone else their tenant's own. */
  @MessagePattern(IMAGES.listSubmissions)
  async list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<SubmissionView[]> {
    const { status } = await validated(ListSubmissionsV1, payload ?? {});
    const tenantId = isPlatformAdmin(meta) ? undefined : tenantMember(meta).tenantId;
    return this.market.queries.submissions(tenantId, status);
  }

  @MessagePattern(IMAGES.listMarketImages)
  images(): Promise<MarketImageView[]> {
    return this.market.queries.images();
  }

  @MessagePattern(IMAGES.getMarketImage)
  async image(@Payload() payload: unknown): Promise<MarketImageView> {
    const { repositoryId } = await validated(MarketImageRefV1, payload);
    return this.market.queries.image(repositoryId);
  }

  /** The submitted digest, not the tag: the tenant may have pushed over the tag since. */
  private async copy(submission: SubmissionState): Promise<{ mediaType: string; size: number }> {
    const { client } = this.market.registry;
    try {
      return await copyImage(
        { client, repository: submission.repository, reference: submission.digest },
        { client, repository: submission.marketRepository, tag: submission.tag },
      );
    } catch (error) {
      if (!isRegistryNotFound(error)) throw error;
      throw conflict(
        `The submitted image ${submission.repository}@${submission.digest} is no longer in the registry: ` +
          'reject this submission, and submit the image again',
        { repository: submission.repository, digest: submission.digest },
      );
    }
  }

  /** Whether the command of this id (the request's Idempotency-Key) has recorded its events in `stream`. */
  private async recordedBy(commandId: string, stream: string): Promise<boolean> {
    const first = commandEventId(commandId, stream, 0);
    try {
      for await (const event of this.market.store.readStream(stream)) if (event.id === first) return true;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return false;
  }

  /** Submission events carry the submitting tenant, whoever decides. */
  private async decide(
    meta: RequestMeta,
    tenantId: string,
    submissionId: string,
    command: SubmissionCommand,
  ): Promise<void> {
    const stream = submissionStream(submissionId);
    const result = await handleCommand(
      this.market.store,
      submissionDecider,
      stream,
      command,
      contextOf(meta, tenantId),
    );
    await this.market.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
  }
}

function decidingCaller(meta: RequestMeta): DecidingCaller {
  return { platformAdmin: isPlatformAdmin(meta), actor: actorOf(meta) };
}
