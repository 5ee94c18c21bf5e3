import {
  IMAGES,
  ListSubmissionsV1,
  MarketImageRefV1,
  SubmissionRefV1,
  SubmitImageV1,
  type MarketImageView,
  type SubmissionView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, PlatformRoles, TenantScoped } from '../auth/access.decorators';
import { Caller, CallingUser } from '../auth/caller.decorator';
import { toPlatformRequestMeta, type UserPrincipal } from '../auth/principal';
import { MarketImageViewDto, RejectSubmissionBody, SubmissionViewDto } from './market.dto';

/**
 * The image market: platform-curated images (`<registry>/library/<name>`) anyone may
 * pull without logging in. Tenants submit one of their own tags; a platform admin
 * approves (the image is copied into the market) or rejects it.
 */
@ApiTags('market')
@Controller('market')
export class MarketController {
  constructor(@Inject(RpcClient) private readonly images: RpcClient) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Every image of the market, with its description, usage guide, tags and pull reference' })
  @ApiOkResponse({ type: [MarketImageViewDto] })
  list(@Caller() meta: RequestMeta): Promise<MarketImageView[]> {
    return this.images.request(IMAGES.listMarketImages, {}, meta);
  }

  @Post('submissions')
  @TenantScoped()
  @ApiOperation({ summary: 'Submit one of the tenant’s tags for the market (owners, admins, developers)' })
  @ApiCreatedResponse({ type: SubmissionViewDto })
  submit(@Body() body: SubmitImageV1, @Caller() meta: RequestMeta): Promise<SubmissionView> {
    return this.images.request(IMAGES.submitImage, body, meta);
  }

  @Get('submissions')
  @Authenticated()
  @ApiOperation({ summary: 'Submissions: the tenant’s own, or (platform-admin) every tenant’s' })
  @ApiOkResponse({ type: [SubmissionViewDto] })
  submissions(@Query() query: ListSubmissionsV1, @Caller() meta: RequestMeta): Promise<SubmissionView[]> {
    return this.images.request(IMAGES.listSubmissions, query, meta);
  }

  @Post('submissions/:submissionId/approve')
  @HttpCode(200)
  @PlatformRoles('platform-admin')
  @ApiOperation({ summary: 'Publish the submitted image as `library/<name>:<tag>` (platform-admin); once only' })
  @ApiOkResponse({ type: SubmissionViewDto })
  approve(
    @Param() params: SubmissionRefV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<SubmissionView> {
    return this.images.request(IMAGES.approveSubmission, params, platformMeta(user, meta));
  }

  @Post('submissions/:submissionId/reject')
  @HttpCode(200)
  @PlatformRoles('platform-admin')
  @ApiOperation({ summary: 'Reject the submission with a reason its tenant sees (platform-admin); once only' })
  @ApiOkResponse({ type: SubmissionViewDto })
  reject(
    @Param() params: SubmissionRefV1,
    @Body() body: RejectSubmissionBody,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<SubmissionView> {
    return this.images.request(IMAGES.rejectSubmission, { ...body, ...params }, platformMeta(user, meta));
  }

  @Get(':repositoryId')
  @Authenticated()
  @ApiOperation({ summary: 'One image of the market' })
  @ApiOkResponse({ type: MarketImageViewDto })
  get(@Param() params: MarketImageRefV1, @Caller() meta: RequestMeta): Promise<MarketImageView> {
    return this.images.request(IMAGES.getMarketImage, params, meta);
  }
}

/** Deciding is platform work: only the caller's platform roles go along, never a tenant role or tenant. */
function platformMeta(user: UserPrincipal, meta: RequestMeta): RequestMeta {
  return toPlatformRequestMeta(user, meta.correlationId, null, meta.commandId);
}
