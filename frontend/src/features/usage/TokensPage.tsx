// /nutzung/schnittstelle: API tokens with which a town's systems push figures (POST
// /api/v1/usage/push). A new token is shown once, to copy; revoked tokens stay listed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, PageHeading, QueryState, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { usageApi } from './api';
import { usageKeys } from './queries';
import { useTownScope } from './townScope';
import type { CreatedToken, UsageToken } from './types';
import { UsageNav } from './UsageNav';
import './usage.css';

function Secret({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <Alert variant="success" title={t('usage.tokens.created', { name: created.token.name })}>
      <p className="kern-body">{t('usage.tokens.onlyOnce')}</p>
      <p className="kern-body dn-secret" data-testid="token-secret">
        {created.secret}
      </p>
      <div className="kern-btn-wrapper">
        <button type="button" className="kern-btn kern-btn--secondary" onClick={() => void copy()}>
          <span className="kern-icon kern-icon--content-copy" aria-hidden="true" />
          <span className="kern-label">{t('usage.tokens.copy')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={onDone}>
          <span className="kern-label">{t('usage.tokens.hide')}</span>
        </button>
      </div>
      <p className="kern-body" aria-live="polite">
        {copied ? t('usage.tokens.copied') : ''}
      </p>
    </Alert>
  );
}

function TokenRow({ token }: { token: UsageToken }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const revoke = useMutation({
    mutationFn: () => usageApi.revokeToken(token.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usageKeys.tokens(token.municipality_id) });
    },
  });
  return (
    <tr className="kern-table__row">
      <th scope="row" className="kern-table__cell">
        {token.name}
      </th>
      <td className="kern-table__cell">
        <code>{token.prefix}…</code>
      </td>
      <td className="kern-table__cell">
        {formatDateTime(token.created_at, locale)}
        {token.created_by_name ? ` · ${token.created_by_name}` : ''}
      </td>
      <td className="kern-table__cell">{token.last_used_at ? formatDateTime(token.last_used_at, locale) : t('usage.tokens.neverUsed')}</td>
      <td className="kern-table__cell">
        {token.revoked_at ? (
          t('usage.tokens.revokedAt', { date: formatDateTime(token.revoked_at, locale) })
        ) : confirm ? (
          <div className="dn-confirm">
            <span className="kern-body">{t('usage.tokens.confirm')}</span>
            <button type="button" className="kern-btn kern-btn--primary kern-btn--x-small" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
              <span className="kern-label">{t('usage.tokens.yesRevoke')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setConfirm(false)}>
              <span className="kern-label">{t('action.cancel')}</span>
            </button>
          </div>
        ) : (
          <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" onClick={() => setConfirm(true)}>
            <span className="kern-label">{t('action.forItem', { action: t('usage.tokens.revoke'), item: token.name })}</span>
          </button>
        )}
        {revoke.isError ? <Alert variant="danger" title={problemMessage(t, revoke.error)} /> : null}
      </td>
    </tr>
  );
}

export function TokensPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const scope = useTownScope();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const tokens = useQuery({ queryKey: usageKeys.tokens(scope.townId), queryFn: () => usageApi.tokens(scope.townId), enabled: scope.townId !== '' });
  const create = useMutation({
    mutationFn: () => usageApi.createToken(scope.townId, name.trim()),
    onSuccess: async (result) => {
      setCreated(result);
      setName('');
      await queryClient.invalidateQueries({ queryKey: usageKeys.tokens(scope.townId) });
    },
  });
  const server = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setCreated(null);
    if (!name.trim()) {
      setNameError(t('validation.required'));
      return;
    }
    setNameError('');
    create.mutate();
  };
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('usage.tokens.title')}</PageHeading>
      <UsageNav />
      <p className="kern-body">{t('usage.tokens.intro')}</p>
      {scope.picker}
      {created ? <Secret created={created} onDone={() => setCreated(null)} /> : null}
      <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-labelledby="tokens-new">
        <h2 className="kern-heading-medium" id="tokens-new">
          {t('usage.tokens.new')}
        </h2>
        {create.isError && Object.keys(server).length === 0 ? <Alert variant="danger" title={problemMessage(t, create.error)} /> : null}
        <TextField
          label={t('usage.tokens.name')}
          hint={t('usage.tokens.nameHint')}
          required
          value={name}
          error={nameError || server.name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending || scope.townId === ''}>
            <span className="kern-label">{t('usage.tokens.create')}</span>
          </button>
        </div>
      </form>
      <section className="kern-stack" aria-labelledby="tokens-list">
        <h2 className="kern-heading-medium" id="tokens-list">
          {t('usage.tokens.list')}
        </h2>
        <QueryState query={tokens} isEmpty={(x) => x.length === 0} empty={<p className="kern-body">{t('usage.tokens.empty')}</p>}>
          {(items) => (
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--small kern-table--striped">
                <caption className="kern-sr-only">{t('usage.tokens.list')}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('usage.tokens.name')}</th>
                    <th scope="col" className="kern-table__header">{t('usage.tokens.prefix')}</th>
                    <th scope="col" className="kern-table__header">{t('usage.tokens.createdAt')}</th>
                    <th scope="col" className="kern-table__header">{t('usage.tokens.lastUsed')}</th>
                    <th scope="col" className="kern-table__header">{t('usage.tokens.state')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {items.map((tok) => (
                    <TokenRow key={tok.id} token={tok} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </section>
      <section className="kern-stack" aria-labelledby="tokens-howto">
        <h2 className="kern-heading-medium" id="tokens-howto">
          {t('usage.tokens.howto')}
        </h2>
        <p className="kern-body">{t('usage.tokens.howtoText')}</p>
        <pre className="dn-secret">{`POST /api/v1/usage/push
Authorization: Bearer dnu_…
Content-Type: application/json

{ "municipality_id": "${scope.townId}",
  "figures": [ { "leika_key": "99…", "month": "2025-03", "channel": "online", "count": 41 } ] }`}</pre>
      </section>
    </div>
  );
}
