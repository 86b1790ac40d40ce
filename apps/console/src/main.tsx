import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { credential, signOut } from './api';
import { isDate, today } from './dates';
import { Approvals } from './screens/approvals';
import { CustomerPage } from './screens/customer';
import { Dashboard } from './screens/dashboard';
import { Disputes } from './screens/disputes';
import { SignIn } from './screens/sign-in';
import { Worklist } from './screens/worklist';

const AS_OF = 'ar.console.asOf';

/** The "as of" date every report is read at: ?asOf= in the address, else the one chosen in this tab, else today. */
function initialAsOf(): string {
  const fromUrl = new URLSearchParams(location.search).get('asOf');
  if (fromUrl && isDate(fromUrl)) return fromUrl;
  const kept = sessionStorage.getItem(AS_OF);
  return kept && isDate(kept) ? kept : today();
}

function useRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.slice(1);
}

const NAV = [
  { href: '#/', label: 'Dashboard' },
  { href: '#/worklist', label: 'Worklist' },
  { href: '#/approvals', label: 'Approvals' },
  { href: '#/disputes', label: 'Disputes' },
];

function App() {
  const [signedIn, setSignedIn] = useState(credential() !== null);
  const [asOf, setAsOf] = useState(initialAsOf);
  const [draft, setDraft] = useState(asOf);
  const route = useRoute();
  const [ended, setEnded] = useState<string | null>(null);
  useEffect(() => {
    const on = (e: Event) => { signOut(); setEnded((e as CustomEvent<string>).detail); setSignedIn(false); };
    addEventListener('ar:unauthenticated', on);
    return () => removeEventListener('ar:unauthenticated', on);
  }, []);
  useEffect(() => { sessionStorage.setItem(AS_OF, asOf); }, [asOf]);
  // Each screen's heading takes the focus when the route changes, so a keyboard or screen-reader user lands on it.
  useEffect(() => { document.querySelector<HTMLElement>('main h1')?.focus(); }, [route, signedIn]);
  if (!signedIn) return <SignIn notice={ended} onSignedIn={() => { setEnded(null); setSignedIn(true); }} />;
  const customer = /^\/customers\/([^/?]+)/.exec(route);
  const screen = customer ? <CustomerPage id={decodeURIComponent(customer[1])} asOf={asOf} />
    : route.startsWith('/worklist') ? <Worklist asOf={asOf} />
    : route.startsWith('/approvals') ? <Approvals asOf={asOf} />
    : route.startsWith('/disputes') ? <Disputes asOf={asOf} />
    : <Dashboard asOf={asOf} />;
  const current = customer ? '' : `#${route.split('?')[0] || '/'}`;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <span class="brand">AR console</span>
        <nav aria-label="Screens">
          <ul>
            {NAV.map((n) => <li><a href={n.href} aria-current={current === n.href ? 'page' : undefined}>{n.label}</a></li>)}
          </ul>
        </nav>
        <form class="asof" onSubmit={(e) => { e.preventDefault(); if (isDate(draft)) setAsOf(draft); }}>
          <label for="asof">As of</label>
          <input id="asof" name="asOf" type="date" value={draft} required onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
          <button type="submit">Apply</button>
        </form>
        <button type="button" class="link" onClick={() => { signOut(); setSignedIn(false); }}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>{screen}</main>
    </>
  );
}

render(<App />, document.getElementById('root')!);
