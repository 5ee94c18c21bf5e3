/**
 * NATS request/reply subjects of the images service (queue group `images`).
 * The registry's two HTTP calls (its token realm and its notifications) reach the
 * gateway, which forwards them here.
 */
export const IMAGES = {
  /** A registry bearer token (RegistryTokenV1) for the caller of the request's headers; anonymous when none. */
  issueRegistryToken: 'images.registry.token',
  /**
   * A short-lived pull-only token for the tenant in the headers to deploy `repository`
   * (PullTokenV1), asked by scheduling: not_found (naming `image`) when that tenant may
   * not pull it.
   */
  issuePullToken: 'images.registry.pull-token',
  /**
   * A short-lived pull+push token for a repository of the caller's own tenant (PullTokenV1
   * names it), for a writer of that tenant: what scheduling pushes a committed container with.
   */
  issuePushToken: 'images.registry.push-token',
  /** One notification envelope of the platform registry (RegistryNotificationV1); answered once recorded. */
  recordRegistryNotification: 'images.registry.notification',

  createRepository: 'images.repository.create',
  updateRepository: 'images.repository.update',
  removeRepository: 'images.repository.remove',
  getRepository: 'images.repository.get',
  listRepositories: 'images.repository.list',
  /** The tenant's image storage against its plan (StorageUsageView). */
  storageUsage: 'images.storage.usage',
  removeTag: 'images.repository.tag.remove',

  /** Copies an image from another registry into the caller's namespace (ImportImageV1). */
  importImage: 'images.repository.import',
  /** A repository's push replication to another registry (CreateReplicationV1, RepositoryRefV1, ReplicationRefV1). */
  createReplication: 'images.replication.create',
  listReplications: 'images.replication.list',
  removeReplication: 'images.replication.remove',

  /** The image market: a tenant's submission (SubmitImageV1), a platform admin's decision, the published images. */
  submitImage: 'images.market.submission.submit',
  approveSubmission: 'images.market.submission.approve',
  rejectSubmission: 'images.market.submission.reject',
  listSubmissions: 'images.market.submission.list',
  listMarketImages: 'images.market.image.list',
  getMarketImage: 'images.market.image.get',
} as const;

/** What the registry calls this service by (`service` of its token auth, `aud` of every token). */
export const DEFAULT_REGISTRY_SERVICE = 'caas-registry';
/** `iss` of every token; the registry's `issuer`. */
export const DEFAULT_REGISTRY_ISSUER = 'caas-images';
