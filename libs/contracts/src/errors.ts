/**
 * The errors that cross service boundaries. A service throws `CaasError`; the
 * messaging layer carries `{ code, message, details }` over NATS; the gateway turns
 * the code into the HTTP status below. Anything else is an internal error.
 */
export const ERROR_STATUS = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  quota_exceeded: 403,
  not_found: 404,
  conflict: 409,
  idempotency_mismatch: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One broken rule on one input field, e.g. `{ field: 'name', rule: 'maxLength', message: '…' }`. */
export interface FieldViolation {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly violations?: readonly FieldViolation[];
  /** e.g. the quota limit that was hit: `{ limit: 'maxContainers', allowed: 2, requested: 3 }`. */
  readonly details?: Record<string, unknown>;
}

export class CaasError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { violations?: readonly FieldViolation[]; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'CaasError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.extra };
  }

  static fromBody(body: ErrorBody): CaasError {
    return new CaasError(body.code, body.message, { violations: body.violations, details: body.details });
  }

  static isBody(value: unknown): value is ErrorBody {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as ErrorBody).code === 'string' &&
      (value as ErrorBody).code in ERROR_STATUS &&
      typeof (value as ErrorBody).message === 'string'
    );
  }
}

export const notFound = (what: string, id: string) => new CaasError('not_found', `${what} '${id}' not found`);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new CaasError('conflict', message, { details });
export const forbidden = (message: string) => new CaasError('forbidden', message);
export const invalid = (field: string, rule: string, message: string) =>
  new CaasError('validation', message, { violations: [{ field, rule, message }] });
