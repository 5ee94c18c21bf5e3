/** An image reference split as Docker reads it: `[registry/]repository[:tag][@digest]`. */
export interface ImageReference {
  /** `host[:port]` when the first component names one (has a `.` or `:`, or is `localhost`). */
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits a reference already validated as one (IMAGE_REFERENCE); no validation here. */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const slash = named.indexOf('/');
  const first = slash >= 0 ? named.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const rest = hasRegistry ? named.slice(slash + 1) : named;
  // A tag's colon comes after the last slash; a registry port's before it.
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag === undefined ? rest : rest.slice(0, colon);
  return {
    ...(hasRegistry ? { registry: first } : {}),
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
