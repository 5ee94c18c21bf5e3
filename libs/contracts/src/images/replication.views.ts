export interface ReplicationView {
  readonly replicationId: string;
  readonly repositoryId: string;
  readonly targetUrl: string;
  readonly targetRepository: string;
  readonly createdAt: string;
  /** The last tag copied to the target, or null before the first. */
  readonly lastReplicated: { readonly tag: string; readonly digest: string; readonly at: string } | null;
  /** The last failure, until that tag is replicated; retried with backoff. */
  readonly lastError: {
    readonly tag: string;
    readonly reason: string;
    readonly at: string;
    readonly retryAt: string | null;
  } | null;
}
