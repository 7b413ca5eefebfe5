// /einladung/:token: shows the invitation and lets the invitee choose name and password.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, PageHeading, QueryState, TextField } from '@/components';
import { api, ApiError, call, problemMessage } from '@/lib/api';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/format';
import { routes, type FlashState } from '@/lib/routes';
import { PasswordFields } from './PasswordFields';

export function AcceptInvitationPage() {
  const { t, locale } = useI18n();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const invitation = useQuery({
    queryKey: ['invitation-token', token],
    queryFn: () => call(() => api.GET('/api/v1/invitations/token/{token}', { params: { path: { token } } })),
    retry: false,
  });

  const accept = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/invitations/token/{token}/accept', {
          params: { path: { token } },
          body: { name: name.trim(), password },
        }),
      ),
    onSuccess: async () => {
      const state: FlashState = { flash: 'invitationAccepted' };
      await navigate(routes.signIn, { state });
    },
  });

  const server = accept.error instanceof ApiError ? accept.error.fieldErrors : {};
  const fields = { ...server, ...local };
  const generalError =
    accept.error && Object.keys(server).length === 0 ? problemMessage(t, accept.error) : null;

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = t('validation.required');
    if (!password) next.password = t('validation.required');
    if (password !== repeat) next.password_repeat = t('validation.passwordMismatch');
    setLocal(next);
    if (Object.keys(next).length === 0) accept.mutate();
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('invitation.title')}</PageHeading>
      {invitation.error instanceof ApiError && invitation.error.kind === 'not-found' ? (
        <Alert variant="warning" title={t('invitation.invalid')} />
      ) : (
        <QueryState query={invitation}>
          {(inv) => (
            <>
              <dl className="kern-description-list">
                <div className="kern-description-list-item">
                  <dt className="kern-description-list-item__key">{t('field.email')}</dt>
                  <dd className="kern-description-list-item__value">{inv.email}</dd>
                </div>
                <div className="kern-description-list-item">
                  <dt className="kern-description-list-item__key">{t('field.role')}</dt>
                  <dd className="kern-description-list-item__value">{t(`role.${inv.role}`)}</dd>
                </div>
                <div className="kern-description-list-item">
                  <dt className="kern-description-list-item__key">{t('field.municipality')}</dt>
                  <dd className="kern-description-list-item__value">
                    {[inv.municipality_name, inv.district_name].filter(Boolean).join(' · ') || '–'}
                  </dd>
                </div>
                <div className="kern-description-list-item">
                  <dt className="kern-description-list-item__key">{t('invitation.expires')}</dt>
                  <dd className="kern-description-list-item__value">{formatDateTime(inv.expires_at, locale)}</dd>
                </div>
              </dl>
              {generalError ? <Alert variant="danger" title={generalError} /> : null}
              <form className="kern-stack" noValidate onSubmit={submit}>
                <TextField
                  label={t('field.name')}
                  name="name"
                  autoComplete="name"
                  value={name}
                  error={fields.name}
                  onChange={(e) => setName(e.target.value)}
                />
                <PasswordFields
                  password={password}
                  repeat={repeat}
                  onPassword={setPassword}
                  onRepeat={setRepeat}
                  passwordError={fields.password}
                  repeatError={fields.password_repeat}
                />
                <div className="kern-btn-wrapper">
                  <button type="submit" className="kern-btn kern-btn--primary" disabled={accept.isPending}>
                    <span className="kern-label">{t('invitation.submit')}</span>
                  </button>
                </div>
              </form>
            </>
          )}
        </QueryState>
      )}
    </div>
  );
}
