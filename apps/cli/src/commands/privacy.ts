import type { Command } from 'commander';
import { PersonalData } from '../../../../libs/application/privacy/personal-data';
import { reapplyErasures } from '../../../../libs/application/privacy/reapply-erasures';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/event-store.port';
import { withApp } from '../app-context';
import type { Io } from '../io';
import type { Runner } from './shared';

/** `ar privacy reapply-erasures`: after restoring the data-key store from a backup, destroy again the keys of erased customers. */
export function privacyCommand(program: Command, io: Io, env: NodeJS.ProcessEnv, run: Runner): void {
  const privacy = program.command('privacy').description('personal data sealed in the log (ADR 0082)');
  privacy.command('reapply-erasures')
    .description('destroy the data key of every customer the log records erased (CustomerErased): run it after restoring data-keys.sqlite from a backup')
    .option('--json', 'machine-readable JSON')
    .action((o: { json?: boolean }) => run(async () => {
      await withApp(env, false, async ({ app }) => {
        const r = await reapplyErasures(app.get<EventStore>(EVENT_STORE), app.get(PersonalData), new Date().toISOString());
        if (o.json) io.out(JSON.stringify(r, null, 2) + '\n');
        else io.out(`${r.erased} erased customer(s) in the log; ${r.restoredKeysDestroyed.length} key(s) found again and destroyed${r.restoredKeysDestroyed.length > 0 ? `: ${r.restoredKeysDestroyed.join(', ')}` : ''}\n`);
      });
    }));
}
