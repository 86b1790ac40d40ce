/**
 * The console's only way to the engine: the public HTTP API, with the signed-in credential (an API key or an
 * OIDC bearer token) as `Authorization: Bearer`. The credential lives in sessionStorage: gone with the tab.
 */
const CREDENTIAL = 'ar.console.credential';

export function credential(): string | null {
  return sessionStorage.getItem(CREDENTIAL);
}

export function signIn(value: string): void {
  sessionStorage.setItem(CREDENTIAL, value);
}

export function signOut(): void {
  sessionStorage.removeItem(CREDENTIAL);
}

/** The API's error JSON `{code, message, details}`, with the HTTP status. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

async function send(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const key = credential();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  if (!res.ok) {
    let parsed: { code?: string; message?: string; details?: Record<string, unknown> } = {};
    try {
      parsed = await res.json();
    } catch {
      parsed = {};
    }
    const error = new ApiError(res.status, parsed.code ?? `HTTP_${res.status}`, parsed.message ?? res.statusText, parsed.details ?? {});
    // A credential that stops working (revoked key, expired token) ends the session: the app returns to sign-in.
    if (res.status === 401 && key) dispatchEvent(new CustomEvent('ar:unauthenticated', { detail: error.message }));
    throw error;
  }
  return res;
}

export async function get<T>(path: string): Promise<T> {
  return (await send('GET', path)).json() as Promise<T>;
}

/** A write: JSON body, and an Idempotency-Key so a double click or a retry records it once. */
export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await send('POST', path, body, `console-${crypto.randomUUID()}`)).json() as Promise<T>;
}

/** A document (PDF…) as a blob, fetched with the credential and handed to the browser as a download. */
export async function download(path: string, filename: string): Promise<number> {
  const blob = await (await send('GET', path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}

export const q = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : '';
};

export const enc = encodeURIComponent;
