/**
 * Public events of a repository's replications (stream `replication-<id>`), relayed as
 * `caas.events.images.<type>`. A replication's credentials are never in them: they live
 * in a private stream of the images service.
 */

interface ReplicationFact {
  readonly replicationId: string;
  readonly tenantId: string;
  readonly repositoryId: string;
  /** The repository's full name in the platform registry. */
  readonly repository: string;
}

export interface ReplicationCreated {
  readonly type: 'ReplicationCreated';
  readonly data: ReplicationFact & {
    /** The platform registry it copies from (its origin, as the images service reaches it). */
    readonly sourceRegistry: string;
    /** `http(s)://host[:port]` of the registry it copies to. */
    readonly targetUrl: string;
    readonly targetRepository: string;
    readonly at: string;
  };
}

export interface ReplicationRemoved {
  readonly type: 'ReplicationRemoved';
  readonly data: ReplicationFact & { readonly at: string };
}

/** A tag now points at `digest` in the target registry as it does in the platform's. */
export interface ImageReplicated {
  readonly type: 'ImageReplicated';
  readonly data: ReplicationFact & {
    readonly tag: string;
    readonly digest: string;
    /** `host[:port]/<targetRepository>:<tag>` */
    readonly target: string;
    readonly at: string;
  };
}

/** One attempt failed; it is retried (with backoff) unless the image is gone from the platform registry. */
export interface ReplicationFailed {
  readonly type: 'ReplicationFailed';
  readonly data: ReplicationFact & {
    readonly tag: string;
    readonly digest: string;
    readonly reason: string;
    /** 1 for the first failed attempt at this tag and digest. */
    readonly attempt: number;
    /** When it is tried again; null when it is given up (the image is no longer there). */
    readonly retryAt: string | null;
    readonly at: string;
  };
}

export type ReplicationEvent = ReplicationCreated | ReplicationRemoved | ImageReplicated | ReplicationFailed;
export type ReplicationEventType = ReplicationEvent['type'];
