// What every browser test needs: one Chromium per file, pages in fresh German contexts, the
// sign-in form, and API calls with a token from outside the browser. Seeded demo users only.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { launchBrowser } from './chromium';

/** The password of every seeded demo user. */
export const PASSWORD = 'Demo-Passwort-2026!';

const baseUrl = inject('baseUrl');

export interface SignInOptions {
  /** Another password than the demo one (e.g. a wrong one). */
  password?: string;
  /** Wait for the signed-in header (`current-user`) after submitting; true unless told. */
  waitForUser?: boolean;
}

/** Opens /anmelden on `page`, fills in the form and submits it. */
export async function signIn(page: Page, email: string, { password = PASSWORD, waitForUser = true }: SignInOptions = {}) {
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  if (waitForUser) await page.getByTestId('current-user').waitFor();
}

export interface BrowserOptions extends BrowserContextOptions {
  /** When the contexts the file opened are closed: after each test (default) or after the file. */
  closeContexts?: 'afterEach' | 'afterAll';
}

/**
 * Registers the file's hooks: Chromium is launched before all tests and closed after them; the
 * contexts are closed after each test (or, with `closeContexts: 'afterAll'`, after the file).
 * Every context gets the server as base URL, locale de-DE and the other options given here;
 * `newPage`/`signedIn` take further context options per call (e.g. a phone's viewport).
 */
export function setupBrowser({ closeContexts = 'afterEach', ...defaults }: BrowserOptions = {}) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const closeAll = () => Promise.all(contexts.splice(0).map((c) => c.close()));

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await closeAll();
    await browser?.close();
  });
  if (closeContexts === 'afterEach') {
    afterEach(async () => {
      await closeAll();
    });
  }

  /** A page in a fresh context (no session). */
  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    if (!browser) throw new Error('setupBrowser: the browser is not launched yet (call newPage inside a test or hook)');
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'de-DE', ...defaults, ...options });
    contexts.push(context);
    return context.newPage();
  }

  /** A page in a fresh context, signed in as `email` through the form. */
  async function signedIn(email: string, { password, waitForUser, ...options }: BrowserContextOptions & SignInOptions = {}): Promise<Page> {
    const page = await newPage(options);
    await signIn(page, email, { password, waitForUser });
    return page;
  }

  return { newPage, signedIn };
}

/** A seeded user as the login answer describes them. */
export interface ApiUser {
  id: string;
  municipality?: { id: string };
}

/** Signs `email` in through the API (outside the browser); fails the test unless it answers 200. */
export async function apiLogin(email: string, password = PASSWORD): Promise<{ access_token: string; user: ApiUser }> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  return (await login.json()) as { access_token: string; user: ApiUser };
}

/** An access token for `email`. */
export async function apiToken(email: string): Promise<string> {
  return (await apiLogin(email)).access_token;
}

/** `fetch` against the server with the bearer `token`; a request with a body is sent as JSON. */
export function api(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && init.body !== null && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${baseUrl}${path}`, { ...init, headers });
}

export type Json = Record<string, unknown> & { id?: string };

export interface SendOptions {
  /** The status the test expects; 200 unless told. */
  status?: number;
  /** The version the object is expected to have (sent as `If-Match`). */
  version?: number;
}

/**
 * A signed-in API client: `send` makes a JSON request, fails the test unless the status is the
 * expected one, and gives the parsed body (`{}` for an empty one).
 */
export async function apiClient(email: string) {
  const { access_token, user } = await apiLogin(email);
  const send = async (method: string, path: string, body?: unknown, { status = 200, version }: SendOptions = {}) => {
    const headers: Record<string, string> = {};
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    const resp = await api(path, access_token, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await resp.text();
    expect(resp.status, `${method} ${path}: ${text}`).toBe(status);
    return (text ? JSON.parse(text) : {}) as Json;
  };
  return { token: access_token, user, send };
}
