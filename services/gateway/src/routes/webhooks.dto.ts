import {
  ListWebhookDeliveriesV1,
  RequestWebhookRedeliveryV1,
  UpdateWebhookV1,
  type WebhookDeliveryAttemptView,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookRedeliveryView,
  type WebhookView,
  type WebhookWithSecretView,
} from '@caas/contracts';
import { ApiProperty, OmitType } from '@nestjs/swagger';

/* Bodies whose webhook id comes from the path are the contract classes without it; the rest documents the views. */

export class UpdateWebhookBody extends OmitType(UpdateWebhookV1, ['webhookId'] as const) {}
export class RequestWebhookRedeliveryBody extends OmitType(RequestWebhookRedeliveryV1, ['webhookId'] as const) {}
export class ListWebhookDeliveriesQuery extends OmitType(ListWebhookDeliveriesV1, ['webhookId'] as const) {}

export class WebhookViewDto implements WebhookView {
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty({ example: 'https://hooks.example.com/caas' }) url!: string;
  @ApiProperty({ type: [String], example: ['Container*'] }) eventTypes!: string[];
  @ApiProperty() description!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) secretRotatedAt!: string | null;
}

export class WebhookWithSecretDto extends WebhookViewDto implements WebhookWithSecretView {
  @ApiProperty({
    example: 'whsec_…',
    description: 'The signing secret of `Caas-Signature`: shown in this answer only, keep it',
  })
  secret!: string;
}

export class WebhookRedeliveryDto implements WebhookRedeliveryView {
  @ApiProperty({ format: 'uuid' }) redeliveryId!: string;
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty() fromSequence!: number;
  @ApiProperty({ description: 'The last event sequence when it was asked for' }) toSequence!: number;
}

export class WebhookDeliveryAttemptDto implements WebhookDeliveryAttemptView {
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: Number }) statusCode!: number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() durationMs!: number;
}

export class WebhookDeliveryDto implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also the `Caas-Delivery-Id` header' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'ContainerStarted' }) eventType!: string;
  @ApiProperty() sequence!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) redeliveryId!: string | null;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: WebhookDeliveryStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [WebhookDeliveryAttemptDto] }) attempts!: WebhookDeliveryAttemptDto[];
}
