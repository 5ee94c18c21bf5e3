import { CaasError, invalid } from '@caas/contracts';
import { toViolations } from '@caas/messaging/src/rpc/rpc-server';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/**
 * Validates bodies and path parameters against the contract classes, the same rules
 * tenancy applies: unknown fields are refused, every broken rule is named.
 */
class ContractValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Otherwise an array body would be reported index by index as unknown properties.
    if (metadata.type === 'body' && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      throw invalid('body', 'isObject', 'The body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(errors),
  });
}

export function validationError(errors: ValidationError[]): CaasError {
  const violations = toViolations(errors);
  return new CaasError('validation', violations.map((violation) => violation.message).join('; '), { violations });
}
