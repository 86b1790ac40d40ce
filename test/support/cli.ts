import { PassThrough } from 'node:stream';
import { runCli } from '../../apps/cli/src/main';
import type { Io } from '../../apps/cli/src/io';

export interface CliRun { code: number; out: string; err: string }

/** Runs `ar` in-process with this environment, capturing stdout, stderr and what goes to the progress stream. */
export async function runAr(env: NodeJS.ProcessEnv, argv: readonly string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const errStream = new PassThrough() as unknown as NodeJS.WriteStream;
  (errStream as unknown as PassThrough).on('data', (c) => { err += String(c); });
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, isTTY: false, errStream };
  const code = await runCli(argv, io, env);
  return { code, out, err };
}
