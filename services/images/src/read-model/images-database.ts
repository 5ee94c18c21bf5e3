import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { REPOSITORY_ENTITIES } from '../repository/repository.projection';
import { ImagesReadModel1763798400000 } from './migrations/1763798400000-images-read-model';

/** The images read model's database (schema `images`). */
export function openImagesDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'images',
    entities: [...REPOSITORY_ENTITIES],
    migrations: [ImagesReadModel1763798400000],
  });
}
