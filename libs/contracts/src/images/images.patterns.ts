/**
 * NATS request/reply subjects of the images service (queue group `images`).
 * The registry's two HTTP calls (its token realm and its notifications) reach the
 * gateway, which forwards them here.
 */
export const IMAGES = {
  /** A registry bearer token (RegistryTokenV1) for the caller of the request's headers; anonymous when none. */
  issueRegistryToken: 'images.registry.token',
  /** One notification envelope of the platform registry (RegistryNotificationV1); answered once recorded. */
  recordRegistryNotification: 'images.registry.notification',

  createRepository: 'images.repository.create',
  updateRepository: 'images.repository.update',
  removeRepository: 'images.repository.remove',
  getRepository: 'images.repository.get',
  listRepositories: 'images.repository.list',
  removeTag: 'images.repository.tag.remove',
} as const;

/** What the registry calls this service by (`service` of its token auth, `aud` of every token). */
export const DEFAULT_REGISTRY_SERVICE = 'caas-registry';
/** `iss` of every token; the registry's `issuer`. */
export const DEFAULT_REGISTRY_ISSUER = 'caas-images';
