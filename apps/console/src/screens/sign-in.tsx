import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, signIn, signOut } from '../api';

/**
 * Sign-in with an API key or an OIDC bearer token (the same field): the credential is tried on one read; 401
 * means it is not valid, anything else (even 403 for a role without reports) means the engine knows it.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: () => void; notice?: string | null }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Marks for the first-load measure (the browser test reads them): the form is usable; the credential is sent.
  useEffect(() => { performance.mark('ar:sign-in-ready'); }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    performance.mark('ar:sign-in-submitted');
    setError(null);
    const key = value.trim();
    if (!key) return setError('Enter an API key or a token.');
    setBusy(true);
    signIn(key);
    try {
      await get('/reports/approval-requests');
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) return onSignedIn();
      signOut();
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <h1 tabIndex={-1}>Accounts receivable</h1>
      <p>Sign in with your API key or your organisation's access token. It is kept in this tab only.</p>
      {notice && <p class="error" role="alert">Signed out: the API no longer accepts this credential ({notice}).</p>}
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <label for="credential">API key or token</label>
        <input id="credential" name="credential" type="password" autoComplete="off" spellcheck={false} value={value}
          aria-invalid={error ? true : undefined} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {error && <p id="signin-error" class="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}
