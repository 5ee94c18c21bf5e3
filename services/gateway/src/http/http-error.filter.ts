import { CaasError } from '@caas/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from './error-response';

/**
 * The one place an error becomes a response, for everything: handlers, guards, pipes,
 * fastify hooks and body parsing (Nest routes fastify's error handler here too), and
 * unknown routes.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const correlationId = request.correlationId || String(request.id);
    const { status, body } = toHttpError(exception, correlationId);
    if (status >= 500) this.log(exception, `${request.method} ${request.url} [${correlationId}] answered ${body.code}`);
    if (reply.sent) return;
    void reply.code(status).type('application/json; charset=utf-8').send(body);
  }

  /** A service that is down or slow is an operational event; anything else is a bug, with its stack. */
  private log(exception: unknown, prefix: string): void {
    if (exception instanceof CaasError) this.logger.warn(`${prefix}: ${exception.message}`);
    else this.logger.error(`${prefix}: ${exception instanceof Error ? exception.stack : String(exception)}`);
  }
}
