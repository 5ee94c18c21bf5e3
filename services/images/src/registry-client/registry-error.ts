/**
 * A registry (or its token realm) refused a request. `code` is the first `errors[].code`
 * of the distribution error body (MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN, DENIED,
 * UNAUTHORIZED, …) when there was one: HEAD answers and token realms often send none.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The registry answered 404: the manifest, blob or repository is not there. */
export function isRegistryNotFound(error: unknown): boolean {
  return error instanceof RegistryError && error.status === 404;
}

interface ErrorBody {
  errors?: { code?: unknown; message?: unknown; detail?: unknown }[];
}

/** Consumes the response's body to build the error; `what` says which request failed. */
export async function registryErrorFrom(what: string, response: Response): Promise<RegistryError> {
  const text = await response.text().catch(() => '');
  let code: string | undefined;
  let detail = text.slice(0, 300);
  try {
    const first = (JSON.parse(text) as ErrorBody).errors?.[0];
    if (typeof first?.code === 'string') {
      code = first.code;
      detail = typeof first.message === 'string' ? first.message : '';
    }
  } catch {
    // not the distribution error format (a proxy's or a realm's page): the raw text stays the detail
  }
  const summary = [code, detail.trim()].filter(Boolean).join(': ');
  return new RegistryError(`${what}: ${response.status}${summary ? ` ${summary}` : ''}`, response.status, code);
}
