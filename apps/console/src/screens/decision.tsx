import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorNote } from '../ui';

/**
 * Approve / reject with a reason, for one item of a queue. `needsReason` says which decisions the API records a
 * reason for (a rejection always); the form refuses to send one of those without it, as the API would.
 */
export function Decision({ label, needsReason, onDecide, approveLabel = 'Approve', rejectLabel = 'Reject' }: {
  label: string;
  needsReason: { approve: boolean; reject: boolean };
  onDecide: (decision: 'approve' | 'reject', reason: string) => Promise<string>;
  approveLabel?: string;
  rejectLabel?: string;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [missing, setMissing] = useState(false);
  const id = `reason-${label.replace(/\W+/g, '-')}`;
  const decide = async (d: 'approve' | 'reject') => {
    setError(null);
    if (needsReason[d] && !reason.trim()) {
      setMissing(true);
      document.getElementById(id)?.focus();
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      setDone(await onDecide(d, reason.trim()));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  if (done) return <p role="status" class="note">{done}</p>;
  return (
    <div class="decision" role="group" aria-label={`Decision on ${label}`}>
      <label for={id}>Reason{needsReason.approve ? '' : ' (required to reject)'}</label>
      <input id={id} type="text" maxLength={500} value={reason} aria-invalid={missing || undefined} aria-describedby={missing ? `${id}-missing` : undefined}
        onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      {missing && <p id={`${id}-missing`} class="error">A reason is required.</p>}
      <div class="buttons">
        <button type="button" class="approve" disabled={busy} onClick={() => decide('approve')}>{approveLabel}</button>
        <button type="button" class="reject" disabled={busy} onClick={() => decide('reject')}>{rejectLabel}</button>
      </div>
      {error && <ErrorNote error={error} />}
    </div>
  );
}
