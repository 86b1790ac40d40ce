import { hostname, userInfo } from 'node:os';
import type { CommandContext } from '../application/command-context';
import { permissionsOf } from './permissions';
import type { Principal } from './principal';

/**
 * The CLI's principal: whoever can open the data directory is its operator (file permissions are the access
 * control there, ADR 0041). Recorded as `actor` = `local:<login>`, `actorId` = `local:<login>@<host>`.
 */
export function localOperator(): Principal {
  let login = 'unknown';
  try {
    login = userInfo().username || login;
  } catch {
    // no passwd entry for this uid (a container): keep `unknown`
  }
  return { id: `local:${login}@${hostname()}`, name: `local:${login}`, kind: 'local', roles: ['admin'], permissions: permissionsOf(['admin']) };
}

/** A command context for the local operator (or, with `system`, for the process itself at start-up). */
export function operatorContext(principal: Principal, commandId: string, recordedAt = new Date().toISOString()): CommandContext {
  return { actor: principal.name, actorId: principal.id, recordedAt, commandId, correlationId: commandId, causationId: commandId };
}
