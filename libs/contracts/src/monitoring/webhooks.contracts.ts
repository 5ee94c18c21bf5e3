import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** NATS subjects of the webhooks slice (queue group `monitoring`). */
export const MONITORING_WEBHOOKS = {
  register: 'monitoring.webhook.register',
  list: 'monitoring.webhook.list',
  get: 'monitoring.webhook.get',
  update: 'monitoring.webhook.update',
  rotateSecret: 'monitoring.webhook.rotate-secret',
  remove: 'monitoring.webhook.remove',
  requestRedelivery: 'monitoring.webhook.redeliver',
  listDeliveries: 'monitoring.webhook.deliveries',
} as const;

/** A tenant's webhooks at most (each one fans out every matching event). */
export const MAX_WEBHOOKS_PER_TENANT = 20;

/** `*`, an exact event type (`ContainerStarted`), or a prefix ending in `*` (`Container*`). */
export const WEBHOOK_EVENT_TYPE_FILTER = /^(?:\*|[A-Z][A-Za-z0-9]*\*?)$/;

const eventTypesRule = {
  message: 'each of eventTypes must be `*`, an event type (ContainerStarted) or a prefix ending in * (Container*)',
};

export class RegisterWebhookV1 {
  @ApiProperty({ example: 'https://hooks.example.com/caas', description: 'https, to a public host' })
  @IsString()
  @MaxLength(2_000)
  url!: string;

  @ApiProperty({ example: ['Container*', 'ImagePushed'], type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(WEBHOOK_EVENT_TYPE_FILTER, { each: true, ...eventTypesRule })
  eventTypes!: string[];

  @ApiPropertyOptional({ example: 'Deploy notifications' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class WebhookRefV1 {
  @IsUUID()
  webhookId!: string;
}

export class UpdateWebhookV1 {
  @IsUUID()
  webhookId!: string;

  @ApiPropertyOptional({ example: 'https://hooks.example.com/caas' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  url?: string;

  @ApiPropertyOptional({ example: ['*'], type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(WEBHOOK_EVENT_TYPE_FILTER, { each: true, ...eventTypesRule })
  eventTypes?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'A disabled webhook gets nothing queued and nothing sent' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class RequestWebhookRedeliveryV1 {
  @IsUUID()
  webhookId!: string;

  @ApiProperty({ example: 1, description: 'The first CAAS_EVENTS sequence to deliver again (an event’s `sequence`)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  fromSequence!: number;
}

export class ListWebhookDeliveriesV1 {
  @IsUUID()
  webhookId!: string;

  @ApiPropertyOptional({ example: 50, description: 'Newest first, at most this many (default 50)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export interface WebhookView {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the signing secret was last rotated, null if never. */
  readonly secretRotatedAt: string | null;
}

/** Register and rotate answer the signing secret: the only two answers that ever hold it. */
export interface WebhookWithSecretView extends WebhookView {
  /** `whsec_…`: the HMAC-SHA256 key of `Caas-Signature`. */
  readonly secret: string;
}

export interface WebhookRedeliveryView {
  readonly redeliveryId: string;
  readonly webhookId: string;
  readonly fromSequence: number;
  /** The last CAAS_EVENTS sequence when it was asked for. */
  readonly toSequence: number;
}

export interface WebhookDeliveryAttemptView {
  readonly attempt: number;
  readonly at: string;
  /** The receiver's HTTP status, null when there was none (refused, timed out). */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryView {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The event's CAAS_EVENTS sequence. */
  readonly sequence: number;
  /** Null for the live delivery, else the redelivery that queued it. */
  readonly redeliveryId: string | null;
  readonly status: WebhookDeliveryStatus;
  /** Null once delivered or failed. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly attempts: readonly WebhookDeliveryAttemptView[];
}
