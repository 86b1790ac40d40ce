import { AsyncLocalStorage } from 'node:async_hooks';
import type { DomainError } from '../domain/shared/errors';

interface Admission {
  /** Why the command may write nothing; null when it was admitted. */
  refusal: DomainError | null;
}

const current = new AsyncLocalStorage<Admission>();

/**
 * Runs a command under the command gate's verdict. A refusal is not thrown at once: the handler runs, so an
 * idempotent retry of a command accepted before (say) a period was closed still returns its first answer
 * (it appends nothing and says `replayed`), while a new command is refused at its first append, before anything
 * is written — or, if it had nothing to write or failed on another rule, when it returns. Follow-on commands the handler dispatches share
 * the verdict of the command that caused them.
 */
export async function admitted<T>(refusal: DomainError | null, fn: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await current.run({ refusal }, fn);
  } catch (err) {
    // The gate's refusal comes first: a command dated in a closed period is refused as such, whatever else is wrong.
    throw refusal ?? err;
  }
  if (refusal && (result as { replayed?: unknown } | null)?.replayed !== true) throw refusal;
  return result;
}

/** Called before every append (EventSourcedRepository.append): throws the refusal of the command being handled. */
export function enforceAdmission(): void {
  const refusal = current.getStore()?.refusal;
  if (refusal) throw refusal;
}
