import type { ImagesEvent } from '@caas/contracts';
import type { IntegrationEvent } from '@caas/messaging';
import { meterCommandsOfImages } from './images-facts';
import type { MeterFactsSource } from './meter-facts.consumer';

/** Billing's durable consumer of images' events: one per platform, instances share it. */
export const IMAGES_DURABLE = 'billing-on-images';

/** The registry's facts (manifests pushed and deleted, repositories removed) on the tenants' meters. */
export const imagesFacts: MeterFactsSource = {
  durable: IMAGES_DURABLE,
  context: 'images',
  commandsOf: (event: IntegrationEvent) => meterCommandsOfImages({ type: event.type, data: event.data } as ImagesEvent),
};
