import {
  CreateServiceV1,
  ListServicesV1,
  SCHEDULING,
  ServiceRefV1,
  type CreatedService,
  type ServiceView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import {
  CreatedServiceDto,
  SCHEDULING_RESULT_SCHEMA,
  ScaleServiceBody,
  ServiceViewDto,
  UpdateServiceBody,
} from './scheduling.dto';

/** Services (replicated containers) of the current tenant; roles as for containers. */
@ApiTags('services')
@Controller('services')
@TenantScoped()
export class ServicesController {
  constructor(@Inject(RpcClient) private readonly scheduling: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a service: `replicas` copies of one container template' })
  @ApiCreatedResponse({ type: CreatedServiceDto })
  create(@Body() body: CreateServiceV1, @Caller() meta: RequestMeta): Promise<CreatedService> {
    return this.scheduling.request(SCHEDULING.createService, body, meta);
  }

  @Get()
  @ApiOperation({ summary: 'Services of the current tenant, optionally of one environment' })
  @ApiOkResponse({ type: [ServiceViewDto] })
  list(@Query() query: ListServicesV1, @Caller() meta: RequestMeta): Promise<ServiceView[]> {
    return this.scheduling.request(SCHEDULING.listServices, query, meta);
  }

  @Get(':serviceId')
  @ApiOperation({ summary: 'One service, with its replica counts and rollout' })
  @ApiOkResponse({ type: ServiceViewDto })
  get(@Param() params: ServiceRefV1, @Caller() meta: RequestMeta): Promise<ServiceView> {
    return this.scheduling.request(SCHEDULING.getService, { serviceId: params.serviceId }, meta);
  }

  @Post(':serviceId/scale')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the number of replicas' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  scale(@Param() params: ServiceRefV1, @Body() body: ScaleServiceBody, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.scaleService, { ...body, serviceId: params.serviceId }, meta);
  }

  @Patch(':serviceId')
  @ApiOperation({ summary: 'Roll out a new revision: fields given replace the old values, the rest are kept' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  update(
    @Param() params: ServiceRefV1,
    @Body() body: UpdateServiceBody,
    @Caller() meta: RequestMeta,
  ): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.updateService, { ...body, serviceId: params.serviceId }, meta);
  }

  /** 200 with the service's answer rather than 204: its replicas are removed after. */
  @Delete(':serviceId')
  @ApiOperation({ summary: 'Delete a service and its replicas' })
  @ApiOkResponse({ schema: SCHEDULING_RESULT_SCHEMA })
  remove(@Param() params: ServiceRefV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.scheduling.request(SCHEDULING.removeService, { serviceId: params.serviceId }, meta);
  }
}
