// /verwaltung/sso-test: „SSO-Zuordnung testen“ – what a user with these claims (or this pasted ID
// token, unchecked) would get from a provider's mapping. Nothing is written.
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, PageHeading, SelectField } from '@/components';
import { api, ApiError, call, problemMessage, type Schemas } from '@/lib/api';
import { useAuthMethods } from '@/lib/auth';
import { useT } from '@/lib/i18n';

export function SsoTestPage() {
  const t = useT();
  const stepLabel = (check: string) => {
    switch (check) {
      case 'subject':
        return t('ssoTest.step.subject');
      case 'login':
        return t('ssoTest.step.login');
      case 'role':
        return t('ssoTest.step.role');
      case 'town':
        return t('ssoTest.step.town');
      case 'email':
        return t('ssoTest.step.email');
      default:
        return check;
    }
  };
  const methods = useAuthMethods();
  const providers = methods.data?.providers ?? [];
  const [provider, setProvider] = useState('');
  const [input, setInput] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const chosen = provider || providers[0]?.id || '';

  const run = useMutation({
    mutationFn: (body: Schemas['DryRunRequest']) =>
      call(() => api.POST('/api/v1/admin/sso/dry-run', { body })),
  });
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const text = input.trim();
    setParseError(null);
    if (text.startsWith('{')) {
      try {
        run.mutate({ provider: chosen, claims: JSON.parse(text) as Schemas['DryRunRequest']['claims'] });
      } catch {
        setParseError(t('ssoTest.badJson'));
      }
    } else {
      run.mutate({ provider: chosen, id_token: text });
    }
  };
  const result = run.data;
  const err = run.error;
  const fieldErrors = err instanceof ApiError ? err.fieldErrors : {};
  const errorText = parseError ?? (err ? (Object.values(fieldErrors)[0] ?? problemMessage(t, err)) : null);

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('ssoTest.title')}</PageHeading>
      <p className="kern-body">{t('ssoTest.intro')}</p>
      {providers.length === 0 && methods.isSuccess ? <Alert variant="info" title={t('ssoTest.none')} /> : null}
      {providers.length > 0 ? (
        <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('ssoTest.title')}>
          <SelectField
            label={t('ssoTest.provider')}
            name="provider"
            value={chosen}
            options={providers.map((p) => ({ value: p.id, label: p.label }))}
            onChange={(e) => setProvider(e.target.value)}
          />
          <div className="kern-form-input">
            <label className="kern-label" htmlFor="sso-claims">
              {t('ssoTest.claims')}
            </label>
            <textarea
              id="sso-claims"
              className="kern-form-input__input"
              rows={10}
              value={input}
              onChange={(e) => setInput(e.target.value)}
            />
          </div>
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={run.isPending || !input.trim()}>
              <span className="kern-label">{t('ssoTest.submit')}</span>
            </button>
          </div>
        </form>
      ) : null}
      {errorText ? <Alert variant="danger" title={errorText} /> : null}
      {result ? (
        <section className="kern-stack" aria-labelledby="sso-result">
          <h2 className="kern-heading-medium" id="sso-result">
            {t('ssoTest.result')}
          </h2>
          {result.allowed ? (
            <Alert
              variant="success"
              title={t('ssoTest.allowed', { town: result.town ?? '–', role: result.role ? t(`role.${result.role}`) : '–' })}
            />
          ) : (
            <Alert variant="danger" title={result.refusal ?? t('ssoTest.refused')} />
          )}
          <p className="kern-body">{t('ssoTest.unchecked')}</p>
          <table className="kern-table">
            <caption className="kern-title">{t('ssoTest.steps')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th className="kern-table__header" scope="col">{t('ssoTest.check')}</th>
                <th className="kern-table__header" scope="col">{t('ssoTest.claim')}</th>
                <th className="kern-table__header" scope="col">{t('ssoTest.found')}</th>
                <th className="kern-table__header" scope="col">{t('ssoTest.outcome')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {result.steps.map((s) => (
                <tr className="kern-table__row" key={s.check}>
                  <td className="kern-table__cell">{stepLabel(s.check)}</td>
                  <td className="kern-table__cell">
                    <code>{s.claim}</code>
                  </td>
                  <td className="kern-table__cell">{s.found.join(', ') || '–'}</td>
                  <td className="kern-table__cell">{s.ok ? '✓ ' : '✗ '}{s.result}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
