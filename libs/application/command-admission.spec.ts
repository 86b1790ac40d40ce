import { DomainError } from '../domain/shared/errors';
import { admitted, enforceAdmission } from './command-admission';

const closed = () => new DomainError('PERIOD_CLOSED', 'the period is closed', { field: 'issueDate' });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a handler does before its first append: awaits (stream loads), then checks the verdict. */
async function append(): Promise<'appended'> {
  await tick();
  enforceAdmission();
  return 'appended';
}

describe('command admission (the command gate\'s verdict, ADR 0048 / 0122)', () => {
  it('given no refusal, when the handler appends, then it writes', async () => {
    await expect(admitted(null, append)).resolves.toBe('appended');
  });

  it('given a refusal, when the handler appends, then its first append throws the refusal', async () => {
    const refusal = closed();
    await expect(admitted(refusal, append)).rejects.toBe(refusal);
  });

  it('given a refusal, an idempotent replay that appends nothing returns its first answer; anything else is refused', async () => {
    const refusal = closed();
    await expect(admitted(refusal, async () => ({ replayed: true }))).resolves.toEqual({ replayed: true });
    await expect(admitted(refusal, async () => ({ replayed: false }))).rejects.toBe(refusal);
  });

  it('a follow-on dispatched by a refused command shares its refusal; a command admitted inside it does not', async () => {
    const refusal = closed();
    const seen: string[] = [];
    await admitted(refusal, async () => {
      await tick();
      // A follow-on (its causation is an event: the gate does not judge it again).
      await append().then(() => seen.push('follow-on appended'), (e) => seen.push(e === refusal ? 'follow-on refused' : 'other'));
      // An origin command judged admitted on its own.
      await admitted(null, append).then(() => seen.push('nested admitted appended'), () => seen.push('nested refused'));
      await append().then(() => seen.push('after appended'), (e) => seen.push(e === refusal ? 'after refused' : 'other'));
      return { replayed: true };
    });
    expect(seen).toEqual(['follow-on refused', 'nested admitted appended', 'after refused']);
  });

  it('interleaved commands keep their own verdicts, also when a refused one ends while another is still running', async () => {
    const first = closed();
    const second = closed();
    const outcomes: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    // Still running after the short refused one and the admitted one have ended: its own append must still be refused.
    const longRefused = admitted(first, async () => {
      await gate;
      const outcome = await append().then(() => 'long appended', (e) => (e === first ? 'long refused at its append' : 'other'));
      return { replayed: true, outcome };
    }).then((r) => r.outcome);
    const shortRefused = admitted(second, append).catch((e) => (e === second ? 'short refused' : 'other'));
    const admittedOne = admitted(null, append);
    outcomes.push(await shortRefused, await admittedOne);
    release();
    outcomes.push(await longRefused);
    // Every refused command has returned: a new command runs with no verdict inherited.
    outcomes.push(await admitted(null, append));
    expect(outcomes).toEqual(['short refused', 'appended', 'long refused at its append', 'appended']);
  });

  it('a command started after every refusal has ended is admitted, even from a continuation created during one', async () => {
    const refusal = closed();
    let later!: Promise<string>;
    await admitted(refusal, async () => {
      // Work the refused command schedules and does not await: it runs outside the command.
      later = new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => admitted(null, append));
      return { replayed: true };
    });
    await expect(later).resolves.toBe('appended');
  });
});
