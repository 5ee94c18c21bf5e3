import type { PlatformRole } from '@caas/contracts';
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../routes/dto';
import type { Access } from './access';

export const ACCESS_METADATA = 'caas:access';
export const BEARER_SCHEME = 'bearer';

const protectedRoute = (access: Access, forbidden?: string) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, access),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid credential' }),
    ...(forbidden ? [ApiForbiddenResponse({ type: ErrorResponseDto, description: forbidden })] : []),
  );

export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies Access);
export const Authenticated = () => protectedRoute({ kind: 'authenticated' });
export const UserOnly = () => protectedRoute({ kind: 'user' }, 'Called with an API key');
export const TenantScoped = () =>
  protectedRoute({ kind: 'tenant' }, 'The credential is not scoped to a tenant, or the role may not do this');
export const PlatformRoles = (...roles: PlatformRole[]) =>
  protectedRoute({ kind: 'platform', roles }, `The caller is not ${roles.join(' or ')}`);
