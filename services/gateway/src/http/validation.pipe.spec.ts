import { CreateTenantV1, MemberRefV1 } from '@caas/contracts';
import type { CaasError } from '@caas/contracts';
import { createValidationPipe } from './validation.pipe';

const pipe = createValidationPipe();
const failure = (value: unknown, metatype: new () => object, type: 'body' | 'param' = 'body') =>
  pipe.transform(value, { type, metatype }).then(
    () => {
      throw new Error('expected a validation error');
    },
    (error: CaasError) => error,
  );

describe('the validation pipe', () => {
  it('names every broken rule of every field, unknown fields included', async () => {
    const error = await failure({ name: '-bad', planId: 'x'.repeat(41), tenantId: 'smuggled' }, CreateTenantV1);
    expect(error.code).toBe('validation');
    expect(error.extra.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name', rule: 'matches' }),
        expect.objectContaining({ field: 'planId', rule: 'maxLength' }),
        expect.objectContaining({ field: 'tenantId', rule: 'whitelistValidation' }),
      ]),
    );
  });

  it('names a malformed path parameter', async () => {
    const error = await failure({ userId: 'not-a-uuid' }, MemberRefV1, 'param');
    expect(error.extra.violations).toEqual([expect.objectContaining({ field: 'userId', rule: 'isUuid' })]);
  });

  it.each([[[1, 2]], ['text'], [42]])('refuses a body that is not an object (%p)', async (body) => {
    const error = await failure(body, CreateTenantV1);
    expect(error.extra.violations).toEqual([expect.objectContaining({ field: 'body', rule: 'isObject' })]);
  });

  it('passes a valid body on as an instance of the contract class', async () => {
    const value = await pipe.transform({ name: 'Acme' }, { type: 'body', metatype: CreateTenantV1 });
    expect(value).toBeInstanceOf(CreateTenantV1);
    expect(value).toMatchObject({ name: 'Acme' });
  });
});
