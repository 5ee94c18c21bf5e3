import {
  type CommittedImage,
  ContainerRefV1,
  CreateContainerV1,
  ListContainersV1,
  SCHEDULING,
  type ContainerView,
  type CreatedContainer,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import {
  CommitContainerBody,
  CommittedImageDto,
  ContainerViewDto,
  CreatedContainerDto,
  SCHEDULING_RESULT_SCHEMA,
  StopContainerBody,
} from './scheduling.dto';

/** A commit pauses the container, writes its layer and pushes it: seconds to minutes. */
const COMMIT_TIMEOUT_MS = 5 * 60_000;

/**
 * Standalone containers of the current tenant. Which tenant role may do what
 * (developer and up change, viewers read) is the scheduling service's decision, as
 * tenancy's is for its routes. Commands answer what the service answered (200), not 202:
 * the service answers once the change is recorded; the engine catches up after.
 */
@ApiTags('containers')
@Controller('containers')
@TenantScoped()
export class ContainersController {
  constructor(@Inject(RpcClient) private readonly scheduling: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Create and start a container in one of the tenant’s environments' })
  @ApiCreatedResponse({ type: CreatedContainerDto })
  create(@Body() body: CreateContainerV1, @Caller() meta: RequestMeta): Promise<CreatedContainer> {
    return this.scheduling.request(SCHEDULING.createContainer, body, meta);
  }

  @Get()
  @ApiOperation({ summary: 'Containers of the current tenant, optionally of one environment or service' })
  @ApiOkResponse({ type: [ContainerViewDto] })
  list(@Query() query: ListContainersV1, @Caller() meta: RequestMeta): Promise<ContainerView[]> {
    return this.scheduling.request(SCHEDULING.listContainers, query, meta);
  }

  @Get(':containerId')
  @ApiOperation({ summary: 'One container' })
  @ApiOkResponse({ type: ContainerViewDto })
  get(@Param() params: ContainerRefV1, @Caller() meta: RequestMeta): Promise<ContainerView> {
    return this.scheduling.request(SCHEDULING.getContainer, { containerId: params.containerId }, meta);
  }

  @Post(':containerId/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a stopped container' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  start(@Param() params: ContainerRefV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.startContainer, { containerId: params.containerId }, meta);
  }

  @Post(':containerId/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a container (SIGTERM, then SIGKILL after timeoutSeconds)' })
  @ApiBody({ type: StopContainerBody, required: false })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  stop(
    @Param() params: ContainerRefV1,
    @Body() body: StopContainerBody,
    @Caller() meta: RequestMeta,
  ): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.stopContainer, { ...body, containerId: params.containerId }, meta);
  }

  @Post(':containerId/restart')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart a container' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  restart(@Param() params: ContainerRefV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.restartContainer, { containerId: params.containerId }, meta);
  }

  @Post(':containerId/commit')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Save the container’s filesystem as an image of the platform registry',
    description: 'Pushed as `<registry>/<tenantId>/<repository>:<tag>`; deployable as it is.',
  })
  @ApiCreatedResponse({ type: CommittedImageDto })
  commit(
    @Param() params: ContainerRefV1,
    @Body() body: CommitContainerBody,
    @Caller() meta: RequestMeta,
  ): Promise<CommittedImage> {
    const payload = { ...body, containerId: params.containerId };
    return this.scheduling.request(SCHEDULING.commitContainer, payload, meta, COMMIT_TIMEOUT_MS);
  }

  /** 200 with the service's answer rather than 204: the removal itself happens on the host after. */
  @Delete(':containerId')
  @ApiOperation({ summary: 'Delete a container (stopped and removed from its host)' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  remove(@Param() params: ContainerRefV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.removeContainer, { containerId: params.containerId }, meta);
  }
}
