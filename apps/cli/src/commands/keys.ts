import type { Command } from 'commander';
import { ApiKeys, generateApiKey } from '../../../../libs/identity/api-keys';
import type { ApiKeyRecord } from '../../../../libs/identity/key-store.port';
import { localOperator, operatorContext } from '../../../../libs/identity/local-operator';
import { ROLES } from '../../../../libs/identity/permissions';
import { withApp } from '../app-context';
import { emit, invalidOption, type Io } from '../io';
import type { Runner } from './shared';

const row = (k: ApiKeyRecord) => [k.id, k.name, k.role, k.actOnBehalf ? 'yes' : '', k.createdAt, k.createdBy, k.lastUsedAt, k.revokedAt];
const HEAD = ['id', 'name', 'role', 'act on behalf', 'created', 'created by', 'last used', 'revoked'];

/**
 * `ar keys create|list|revoke|generate`: API keys on the data directory, as the local operator (whoever can open
 * the data directory; recorded as `local:<login>` in ApiKeyCreated / ApiKeyRevoked, ADR 0041).
 */
export function keysCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const cmd = program.command('keys').description('API keys of the HTTP API (stored as hashes beside the log)');
  const ctx = (verb: string) => {
    const operator = localOperator();
    const now = new Date().toISOString();
    return operatorContext(operator, `cli|keys ${verb}|${operator.id}|${now}`, now);
  };

  cmd.command('create')
    .description('create a key and print it once (it cannot be shown again)')
    .requiredOption('--name <name>', 'who uses it (recorded as the actor of what it writes); unique among active keys')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--act-on-behalf', 'a service account: X-Actor names the user it acts for (recorded as onBehalfOf)')
    .option('--json')
    .action((o: { name: string; role: string; actOnBehalf?: boolean; json?: boolean }) => run(async () => {
      if (!(ROLES as readonly string[]).includes(o.role)) throw invalidOption(`--role must be one of ${ROLES.join(', ')}, got "${o.role}"`);
      await withApp(env, false, async ({ app }) => {
        const { record, key } = await app.get(ApiKeys).create({ name: o.name, role: o.role, actOnBehalf: o.actOnBehalf === true }, 'cli', ctx('create'));
        if (o.json) { io.out(JSON.stringify({ id: record.id, name: record.name, role: record.role, actOnBehalf: record.actOnBehalf, key }, null, 2) + '\n'); return; }
        io.out(`Created API key ${record.id} (${record.name}, ${record.role}). The key, shown this once:\n${key}\n`);
      });
    }));

  cmd.command('list')
    .description('every key, active and revoked (never the key itself)')
    .option('--json')
    .option('--csv')
    .action((o: { json?: boolean; csv?: boolean }) => run(async () => {
      await withApp(env, false, async ({ app }) => {
        const keys = await app.get(ApiKeys).list();
        emit(io, o, { json: { keys }, head: HEAD, rows: keys.map(row) });
      });
    }));

  cmd.command('revoke')
    .description('revoke a key: the API refuses it from its next request on')
    .argument('<id>', 'the key id (from ar keys list)')
    .option('--json')
    .action((id: string, o: { json?: boolean }) => run(async () => {
      await withApp(env, false, async ({ app }) => {
        const k = await app.get(ApiKeys).revoke(id, 'cli', ctx('revoke'));
        emit(io, o, { json: k, head: HEAD, rows: [row(k)], before: [`Revoked API key ${k.id} (${k.name})`] });
      });
    }));

  cmd.command('generate')
    .description('print a new random key without storing it (for AR_BOOTSTRAP_API_KEY in a secret store)')
    .action(() => run(async () => { io.out(`${generateApiKey()}\n`); }));
}
