import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { ApiError, call, fieldErrors, problemKind, problemMessage, unwrap } from './problem';

const validation = {
  type: 'https://digitalnetzwerk.example/problems/validation',
  title: 'Ungültige Eingabe',
  status: 422,
  detail: 'Bitte prüfen',
  errors: [
    { field: 'ags', message: 'AGS muss 8 Ziffern haben' },
    { field: 'name', message: 'Name fehlt' },
    { field: 'ags', message: 'zweite Meldung' },
  ],
};

describe('problem+json mapping', () => {
  it('takes the kind from the type URI, else from the status', () => {
    expect(problemKind(422, validation)).toBe('validation');
    expect(problemKind(409, { type: 'about:blank', title: 'x', status: 409 })).toBe('conflict');
    expect(problemKind(412, null)).toBe('precondition-failed');
    expect(problemKind(503, null)).toBe('internal');
    expect(problemKind(0, null)).toBe('network');
  });

  it('keeps the first message per field', () => {
    expect(fieldErrors(validation)).toEqual({ ags: 'AGS muss 8 Ziffern haben', name: 'Name fehlt' });
    expect(fieldErrors(null)).toEqual({});
  });

  it('unwraps success and throws ApiError with Retry-After on failure', () => {
    const ok = new Response('{}', { status: 200 });
    expect(unwrap({ data: { a: 1 }, response: ok })).toEqual({ a: 1 });

    const tooMany = new Response('', { status: 429, headers: { 'Retry-After': '30' } });
    const problem = { type: 'https://digitalnetzwerk.example/problems/too-many-requests', title: 'x', status: 429 };
    let caught: unknown;
    try {
      unwrap({ error: problem, response: tooMany });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const err = caught as ApiError;
    expect(err.kind).toBe('too-many-requests');
    expect(err.retryAfter).toBe(30);
    expect(problemMessage(makeT('de'), err)).toBe('Zu viele Versuche, bitte später erneut versuchen (in 30 Sekunden).');
  });

  it('shows our own localized text, not the server title', () => {
    const err = new ApiError(403, { type: '/problems/forbidden', title: 'Forbidden', status: 403 });
    expect(problemMessage(makeT('de'), err)).toBe('Dazu fehlt Ihnen die Berechtigung.');
    expect(problemMessage(makeT('en'), err)).toBe('You are not allowed to do this.');
  });

  it('turns a network failure into kind "network"', async () => {
    await expect(call(() => Promise.reject(new TypeError('fetch failed')))).rejects.toMatchObject({ kind: 'network' });
  });
});
