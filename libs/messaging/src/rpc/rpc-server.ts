import { CaasError, type FieldViolation } from '@caas/contracts';
import { WrongExpectedVersionError } from '@caas/event-store';
import { Catch, Logger, type RpcExceptionFilter, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type MicroserviceOptions, type NatsContext, RpcException, Transport } from '@nestjs/microservices';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import { type Observable, throwError } from 'rxjs';
import { type RequestMeta, fromHeaders } from './request-meta';

/** A service's NATS listener: one queue group per service, so instances share the load. */
export function natsMicroservice(servers: string, queue: string): MicroserviceOptions {
  return { transport: Transport.NATS, options: { servers: [servers], queue } };
}

/**
 * Puts every error on the wire as an ErrorBody. Domain errors keep their code and
 * message; anything unexpected is logged here and answered as `internal`, so no
 * stack or SQL text ever reaches a client.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown): Observable<never> {
    if (exception instanceof CaasError) return throwError(() => exception.toBody());
    if (exception instanceof RpcException && CaasError.isBody(exception.getError())) {
      return throwError(() => exception.getError());
    }
    // Still colliding after every retry: the client may try again, nothing was written.
    if (exception instanceof WrongExpectedVersionError) {
      this.logger.warn(exception.message);
      return throwError(() => new CaasError('conflict', 'Changed concurrently by another request; try again').toBody());
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return throwError(() => new CaasError('internal', 'Internal error').toBody());
  }
}

/** `@Meta() meta: RequestMeta` in a message handler: the caller, from the NATS headers. */
export const Meta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMeta => {
  const nats = context.switchToRpc().getContext<NatsContext>();
  return fromHeaders(nats.getHeaders());
});

/** Validates a command payload against its contract class; a failure names each field and rule. */
export async function validated<T extends object>(type: ClassConstructor<T>, payload: unknown): Promise<T> {
  const instance = plainToInstance(type, payload ?? {});
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const violations = toViolations(errors);
    throw new CaasError('validation', violations.map((v) => v.message).join('; '), { violations });
  }
  return instance;
}

export function toViolations(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...toViolations(error.children ?? [], field)];
  });
}
