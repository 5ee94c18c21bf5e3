import { CaasError, ERROR_STATUS, type ErrorCode } from '@caas/contracts';
import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { toHttpError } from './error-response';

describe('toHttpError', () => {
  it.each(Object.entries(ERROR_STATUS) as [ErrorCode, number][])(
    'answers a CaasError %s with HTTP %i and its body',
    (code, status) => {
      const error = new CaasError(code, 'it went wrong', { details: { limit: 'maxContainers' } });
      expect(toHttpError(error, 'c-1')).toEqual({
        status,
        body: { code, message: 'it went wrong', details: { limit: 'maxContainers' }, correlationId: 'c-1' },
      });
    },
  );

  it('keeps the violations of a validation error', () => {
    const violations = [{ field: 'name', rule: 'maxLength', message: 'too long' }];
    expect(toHttpError(new CaasError('validation', 'bad', { violations }), 'c').body.violations).toEqual(violations);
  });

  it('answers an unknown route as not_found, naming it', () => {
    expect(toHttpError(new NotFoundException('Cannot GET /v1/nope'), 'c')).toEqual({
      status: 404,
      body: { code: 'not_found', message: 'No route GET /v1/nope', correlationId: 'c' },
    });
  });

  it('answers a too large body with 413 and code validation (the contract has no code of its own for it)', () => {
    expect(toHttpError(new HttpException('Request body is too large', 413), 'c')).toMatchObject({
      status: 413,
      body: { code: 'validation' },
    });
  });

  it('answers malformed JSON and an unsupported media type with 400', () => {
    expect(toHttpError(new BadRequestException('Body is not valid JSON'), 'c')).toMatchObject({
      status: 400,
      body: { code: 'validation', message: 'Body is not valid JSON' },
    });
    expect(toHttpError(new HttpException('Unsupported Media Type: text/xml', 415), 'c')).toMatchObject({
      status: 400,
      body: { code: 'validation', message: 'Content-Type must be application/json' },
    });
  });

  it.each([
    new Error('connect ECONNREFUSED 10.0.0.5:5432'),
    new TypeError("Cannot read properties of undefined (reading 'x')"),
    new HttpException('upstream said: SELECT secret', 502),
    'a string',
    undefined,
  ])('answers anything else as internal without its message (%p)', (error) => {
    expect(toHttpError(error, 'c')).toEqual({
      status: 500,
      body: { code: 'internal', message: 'Internal error', correlationId: 'c' },
    });
  });
});
