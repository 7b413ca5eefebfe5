// The typed API client: adds the in-memory access token, retries once after a refresh on 401.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type TokenResponse = Schemas['TokenResponse'];
export type Role = Me['role'];

type SessionListener = (session: TokenResponse | null) => void;

// The access token lives in memory only; the refresh token is an httpOnly cookie.
let accessToken: string | null = null;
let refreshing: Promise<TokenResponse | null> | null = null;
const listeners = new Set<SessionListener>();

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function getAccessToken(): string | null {
  return accessToken;
}

/** Called when a refresh succeeds (new user data) or fails (signed out). */
export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function baseUrl(): string {
  return typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
}

const AUTH_PREFIX = '/api/v1/auth/';

/** POST /auth/refresh; concurrent callers share one request so the rotating cookie is used once. */
export function refreshSession(): Promise<TokenResponse | null> {
  refreshing ??= (async () => {
    try {
      const res = await globalThis.fetch(`${baseUrl()}/api/v1/auth/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!res.ok) {
        accessToken = null;
        listeners.forEach((l) => l(null));
        return null;
      }
      const session = (await res.json()) as TokenResponse;
      accessToken = session.access_token;
      listeners.forEach((l) => l(session));
      return session;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// The interface language, sent as Accept-Language so that texts of the server (problem messages,
// sign-in refusals) come in it before anyone is signed in; a signed-in user's own setting wins there.
let interfaceLocale: string | null = null;

export function setRequestLocale(locale: string): void {
  interfaceLocale = locale;
}

async function authFetch(request: Request): Promise<Response> {
  if (interfaceLocale) request.headers.set('Accept-Language', interfaceLocale);
  const isAuthCall = new URL(request.url).pathname.startsWith(AUTH_PREFIX);
  const retry = isAuthCall ? null : request.clone();
  if (accessToken && !isAuthCall) request.headers.set('Authorization', `Bearer ${accessToken}`);
  const response = await globalThis.fetch(request);
  if (response.status !== 401 || !retry) return response;
  const session = await refreshSession();
  if (!session) return response;
  retry.headers.set('Authorization', `Bearer ${session.access_token}`);
  return globalThis.fetch(retry);
}

export const api = createClient<paths>({
  baseUrl: baseUrl(),
  credentials: 'same-origin',
  fetch: authFetch,
});

/** `If-Match` value for a resource version. */
export function ifMatch(version: number): string {
  return `"${version}"`;
}
