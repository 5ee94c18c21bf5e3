import {
  CreateRepositoryV1,
  IMAGES,
  RemoveTagV1,
  RepositoryRefV1,
  type CreatedRepository,
  type RepositoryView,
  type StorageUsageView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { CreatedRepositoryDto, RepositoryViewDto, StorageUsageDto, UpdateRepositoryBody } from './images.dto';

/**
 * The tenant's repositories in the platform registry (`<registry>/<tenantId>/<name>`).
 * Images get there with `docker push` (a repository is created by its first push, or
 * beforehand to set who may pull it); who may do what is the images service's decision.
 */
@ApiTags('repositories')
@Controller('repositories')
@TenantScoped()
export class RepositoriesController {
  constructor(@Inject(RpcClient) private readonly images: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a repository before its first push, with who may pull it and how to use it' })
  @ApiCreatedResponse({ type: CreatedRepositoryDto })
  create(@Body() body: CreateRepositoryV1, @Caller() meta: RequestMeta): Promise<CreatedRepository> {
    return this.images.request(IMAGES.createRepository, body, meta);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s repositories with their tags' })
  @ApiOkResponse({ type: [RepositoryViewDto] })
  list(@Caller() meta: RequestMeta): Promise<RepositoryView[]> {
    return this.images.request(IMAGES.listRepositories, {}, meta);
  }

  @Get('usage')
  @ApiOperation({ summary: 'The tenant’s image storage against its plan (pushes stop at the limit)' })
  @ApiOkResponse({ type: StorageUsageDto })
  usage(@Caller() meta: RequestMeta): Promise<StorageUsageView> {
    return this.images.request(IMAGES.storageUsage, {}, meta);
  }

  @Get(':repositoryId')
  @ApiOperation({ summary: 'One repository with its tags (another tenant’s only when public)' })
  @ApiOkResponse({ type: RepositoryViewDto })
  get(@Param() params: RepositoryRefV1, @Caller() meta: RequestMeta): Promise<RepositoryView> {
    return this.images.request(IMAGES.getRepository, params, meta);
  }

  @Patch(':repositoryId')
  @ApiOperation({ summary: 'Change its description, usage guide, or (owners and admins) who may pull it' })
  @ApiOkResponse({ type: RepositoryViewDto })
  update(
    @Param() params: RepositoryRefV1,
    @Body() body: UpdateRepositoryBody,
    @Caller() meta: RequestMeta,
  ): Promise<RepositoryView> {
    return this.images.request(IMAGES.updateRepository, { ...body, repositoryId: params.repositoryId }, meta);
  }

  @Delete(':repositoryId')
  @ApiOperation({ summary: 'Delete the repository and every image in it (owners and admins)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { repositoryId: { type: 'string', format: 'uuid' } } } })
  remove(@Param() params: RepositoryRefV1, @Caller() meta: RequestMeta): Promise<{ repositoryId: string }> {
    return this.images.request(IMAGES.removeRepository, params, meta);
  }

  @Delete(':repositoryId/tags/:tag')
  @ApiOperation({
    summary: 'Delete a tag and its image; refused (409) while other tags point at the same image',
  })
  @ApiOkResponse({ type: RepositoryViewDto })
  removeTag(@Param() params: RemoveTagV1, @Caller() meta: RequestMeta): Promise<RepositoryView> {
    return this.images.request(IMAGES.removeTag, params, meta);
  }
}
