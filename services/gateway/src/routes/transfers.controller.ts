import {
  IMAGES,
  ImportImageV1,
  ReplicationRefV1,
  RepositoryRefV1,
  type ImportedImage,
  type ReplicationView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { CreateReplicationBody, ImportedImageDto, ReplicationViewDto } from './transfers.dto';

/**
 * Images between the platform registry and others: an import copies one in (into the
 * caller's namespace, always), a replication copies a repository out to another
 * registry — every tag at once, then every push — as Harbor's push-based replication.
 */
@ApiTags('repositories')
@Controller('repositories')
@TenantScoped()
export class TransfersController {
  constructor(@Inject(RpcClient) private readonly images: RpcClient) {}

  @Post('import')
  @ApiOperation({
    summary: 'Copy an image from another registry into the tenant’s namespace (owners, admins, developers)',
    description:
      'The credentials are for the source registry, used for this copy only and never stored. The tag appears ' +
      'in the repository once the platform registry reports the push (a moment later).',
  })
  @ApiCreatedResponse({ type: ImportedImageDto })
  importImage(@Body() body: ImportImageV1, @Caller() meta: RequestMeta): Promise<ImportedImage> {
    return this.images.request(IMAGES.importImage, body, meta);
  }

  @Post(':repositoryId/replications')
  @ApiOperation({
    summary: 'Replicate the repository to another registry: every tag now, every push after (owners and admins)',
    description: 'The target is checked with the credentials first; they are kept out of every view and event.',
  })
  @ApiCreatedResponse({ type: ReplicationViewDto })
  createReplication(
    @Param() params: RepositoryRefV1,
    @Body() body: CreateReplicationBody,
    @Caller() meta: RequestMeta,
  ): Promise<ReplicationView> {
    return this.images.request(IMAGES.createReplication, { ...body, repositoryId: params.repositoryId }, meta);
  }

  @Get(':repositoryId/replications')
  @ApiOperation({ summary: 'The repository’s replications: the last tag copied, the last error' })
  @ApiOkResponse({ type: [ReplicationViewDto] })
  listReplications(@Param() params: RepositoryRefV1, @Caller() meta: RequestMeta): Promise<ReplicationView[]> {
    return this.images.request(IMAGES.listReplications, params, meta);
  }

  @Delete(':repositoryId/replications/:replicationId')
  @ApiOperation({ summary: 'Stop replicating (what the target holds stays there; owners and admins)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { replicationId: { type: 'string', format: 'uuid' } } } })
  removeReplication(
    @Param() params: ReplicationRefV1,
    @Caller() meta: RequestMeta,
  ): Promise<{ replicationId: string }> {
    return this.images.request(IMAGES.removeReplication, params, meta);
  }
}
