/**
 * Public events of the images context, published on JetStream as
 * `caas.events.images.<type>`, version 1 (`schemaVersion` in the metadata). Add fields
 * compatibly; a breaking change is a new event type.
 *
 * A repository is `<namespace>/<path>` in the platform registry: the namespace is the
 * owning tenant's id, or `library` for the platform's image market (tenantId null).
 * Billing counts storage from ImagePushed/ImageDeleted (`size`: the manifest, its
 * config and its layers, as the registry stores them).
 */

import type { MarketImagePublished } from './market.events';

export type RepositoryVisibility = 'private' | 'tenant' | 'public';
export const REPOSITORY_VISIBILITIES: readonly RepositoryVisibility[] = ['private', 'tenant', 'public'];

interface RepositoryFact {
  readonly repositoryId: string;
  /** null for the image market's repositories (`library/…`). */
  readonly tenantId: string | null;
  /** The full name in the registry, e.g. `3f0c…/web`. */
  readonly repository: string;
}

export interface RepositoryCreated {
  readonly type: 'RepositoryCreated';
  readonly data: RepositoryFact & {
    readonly visibility: RepositoryVisibility;
    readonly description: string;
    readonly usageGuide: string;
    /** 'api' when created by a call, 'push' when its first image was pushed, 'import' by an import. */
    readonly origin: 'api' | 'push' | 'import';
    readonly at: string;
  };
}

export interface RepositoryUpdated {
  readonly type: 'RepositoryUpdated';
  readonly data: RepositoryFact & {
    readonly visibility: RepositoryVisibility;
    readonly description: string;
    readonly usageGuide: string;
    readonly at: string;
  };
}

export interface RepositoryRemoved {
  readonly type: 'RepositoryRemoved';
  readonly data: RepositoryFact & { readonly at: string };
}

/** A tag now points at a manifest: pushed for the first time, or moved. */
export interface ImagePushed {
  readonly type: 'ImagePushed';
  readonly data: RepositoryFact & {
    readonly tag: string;
    readonly digest: string;
    readonly mediaType: string;
    /** Bytes: the manifest, its config and layers (for an index, its manifests'). */
    readonly size: number;
    /** When the registry received the manifest (its notification's timestamp). */
    readonly pushedAt: string;
    /** Who pushed it, as the registry's token named them (`user:<id>`, `api-key:<id>`), or ''. */
    readonly pushedBy: string;
  };
}

/** A manifest is gone from the registry, and with it every tag that pointed at it. */
export interface ImageDeleted {
  readonly type: 'ImageDeleted';
  readonly data: RepositoryFact & {
    readonly digest: string;
    readonly tags: readonly string[];
    readonly size: number;
    readonly at: string;
  };
}

/**
 * An image was copied from another registry into the repository. The registry's own push
 * notification of that copy follows as ImagePushed (which is what counts for storage).
 */
export interface ImageImported {
  readonly type: 'ImageImported';
  readonly data: RepositoryFact & {
    readonly tag: string;
    readonly digest: string;
    /** The reference it was copied from, without credentials. */
    readonly source: string;
    readonly size: number;
    readonly at: string;
  };
}

export type ImagesEvent =
  | ImageImported
  | RepositoryCreated
  | RepositoryUpdated
  | RepositoryRemoved
  | ImagePushed
  | ImageDeleted
  | MarketImagePublished;
export type ImagesEventType = ImagesEvent['type'];
