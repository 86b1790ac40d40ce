import type { Permission, Role } from './permissions';

/**
 * Who is calling, once authenticated: an API key, an OIDC token's subject, or the local operator of the CLI.
 * `name` becomes the events' `actor`, `id` their `actorId`.
 */
export interface Principal {
  /** Stable identifier: `key:<keyId>`, `oidc:<subject>`, `local:<user>@<host>`. */
  id: string;
  /** The key's name, the token's subject, the operator's login: what the audit trail shows as `actor`. */
  name: string;
  kind: 'api_key' | 'oidc' | 'local';
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
}
