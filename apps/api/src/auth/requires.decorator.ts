import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from '../../../../libs/identity/permissions';

export const PERMISSION_METADATA = 'ar:permission';
export const PUBLIC = 'public';

/**
 * The permission a route requires (docs/security.md), read by the one global AuthGuard; also shown in the
 * OpenAPI document as `x-permission`, which the route-walk test checks on every operation.
 */
export const Requires = (permission: Permission) => applyDecorators(
  SetMetadata(PERMISSION_METADATA, permission),
  ApiExtension('x-permission', permission),
  ApiBearerAuth(),
  ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: missing, unknown, expired or revoked credentials' }),
  ApiForbiddenResponse({ description: `FORBIDDEN: the principal's role lacks ${permission}` }),
);

/** A route anyone may call (health probes). */
export const Public = () => applyDecorators(SetMetadata(PERMISSION_METADATA, PUBLIC), ApiExtension('x-permission', PUBLIC));
