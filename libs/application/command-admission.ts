import { AsyncLocalStorage } from 'node:async_hooks';
import type { DomainError } from '../domain/shared/errors';

interface Admission {
  /** Why the command may write nothing; null when it was admitted. */
  refusal: DomainError | null;
}

const current = new AsyncLocalStorage<Admission>();
/** `admitted` calls running under `current` (a refusal, or an admission inside a refusal). */
let contexts = 0;

/**
 * Runs a command under the command gate's verdict. A refusal is not thrown at once: the handler runs, so an
 * idempotent retry of a command accepted before (say) a period was closed still returns its first answer
 * (it appends nothing and says `replayed`), while a new command is refused at its first append, before anything
 * is written — or, if it had nothing to write or failed on another rule, when it returns. Follow-on commands the handler dispatches share
 * the verdict of the command that caused them.
 *
 * An admitted command outside any refusal — nearly every command — runs without an async context: on Node 20 an
 * AsyncLocalStorage in use hooks every promise the process creates (8 % of an invoice's CPU over HTTP, ADR 0122), so
 * the storage is entered only for a refusal (or an admission nested in one, which must not inherit it) and disabled
 * again when the last such command has returned. `enforceAdmission` reads the same answers as before.
 */
export async function admitted<T>(refusal: DomainError | null, fn: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    if (refusal === null && current.getStore() === undefined) result = await fn();
    else result = await underVerdict({ refusal }, fn);
  } catch (err) {
    // The gate's refusal comes first: a command dated in a closed period is refused as such, whatever else is wrong.
    throw refusal ?? err;
  }
  if (refusal && (result as { replayed?: unknown } | null)?.replayed !== true) throw refusal;
  return result;
}

async function underVerdict<T>(admission: Admission, fn: () => Promise<T>): Promise<T> {
  contexts++;
  try {
    return await current.run(admission, fn);
  } finally {
    // The last one out turns the promise hooks off (re-enabled by the next `run`): nothing runs under a verdict then.
    if (--contexts === 0) current.disable();
  }
}

/** Called before every append (EventSourcedRepository.append): throws the refusal of the command being handled. */
export function enforceAdmission(): void {
  const refusal = current.getStore()?.refusal;
  if (refusal) throw refusal;
}
