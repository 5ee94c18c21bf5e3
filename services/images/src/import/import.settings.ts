/** How the images service reaches other registries (imports and replications). */
export class RegistryReach {
  constructor(
    /** `host[:port]` served over plain http though not on loopback (IMAGES_INSECURE_REGISTRIES). */
    readonly insecureRegistries: readonly string[] = [],
  ) {}
}
