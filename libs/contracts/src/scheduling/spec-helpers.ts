import type { FieldViolation } from '../errors';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';

/**
 * For the contract's tests: validates exactly as `validated()` (@caas/messaging) and
 * the gateway's pipe do — whitelist, unknown fields refused — and flattens the errors
 * the same way (`ports.0.hostPort`). Contracts cannot import messaging (it imports them).
 */
export async function violationsOf<T extends object>(
  type: ClassConstructor<T>,
  payload: object,
): Promise<FieldViolation[]> {
  const errors = await validate(plainToInstance(type, payload), { whitelist: true, forbidNonWhitelisted: true });
  return flatten(errors);
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** A container template that passes validation; tests spread their one change over it. */
export const VALID_TEMPLATE = {
  image: 'registry.example.com/acme/web:1.4.2',
  command: ['httpd', '-f', '-p', '8080'],
  env: { LOG_LEVEL: 'info', _PRIVATE: 'x' },
  ports: [{ containerPort: 8080, protocol: 'tcp' }],
  resources: { cpus: 0.5, memoryMb: 256 },
  volumes: [{ name: 'data', mountPath: '/var/lib/data' }],
  restartPolicy: 'always',
  labels: { team: 'payments' },
  constraints: [
    { key: 'disk', op: '==', value: 'ssd' },
    { key: 'gpu', op: 'exists' },
  ],
  healthCheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'] },
} as const;

export const ENVIRONMENT_ID = '5b0c6f8e-3f7a-4c55-9a51-8d2f1f0b7c11';
