// Name and language; sent with If-Match so a change made elsewhere is not overwritten.
import { useMutation } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, SelectField, StatusMessage, TextField } from '@/components';
import { api, ApiError, call, ifMatch, problemMessage } from '@/lib/api';
import { useAuth, useMe, useProviderLabel } from '@/lib/auth';
import { isLocale, useT, type Locale } from '@/lib/i18n';

export function ProfileForm() {
  const t = useT();
  const me = useMe();
  const { setMe } = useAuth();
  const [name, setName] = useState(me.name);
  const [locale, setLocale] = useState<Locale>(me.locale);
  // Fields the identity provider owns are changed there (the next sign-in would undo it).
  const provider = useProviderLabel(me.managed_by?.provider);
  const managed = (field: string) => (me.managed_by?.fields.includes(field) ? t('profile.managedBy', { provider: provider ?? '' }) : undefined);

  const save = useMutation({
    mutationFn: () =>
      call(() =>
        api.PATCH('/api/v1/me', {
          params: { header: { 'If-Match': ifMatch(me.version) } },
          body: { name: name.trim(), locale },
        }),
      ),
    onSuccess: (updated) => setMe(updated),
    onError: async (error) => {
      if (error instanceof ApiError && error.kind === 'precondition-failed') {
        const fresh = await call(() => api.GET('/api/v1/me'));
        setMe(fresh);
        setName(fresh.name);
        setLocale(fresh.locale);
      }
    },
  });
  const err = save.error;
  const fields = err instanceof ApiError ? err.fieldErrors : {};
  let general: string | null = null;
  if (err instanceof ApiError && err.kind === 'precondition-failed') general = t('profile.stale');
  else if (err && Object.keys(fields).length === 0) general = problemMessage(t, err);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <section className="kern-stack" aria-labelledby="profile-data">
      <h2 className="kern-heading-medium" id="profile-data">
        {t('profile.data')}
      </h2>
      <StatusMessage message={save.isSuccess ? t('profile.saved') : null} />
      {general ? <Alert variant="danger" title={general} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit}>
        <TextField label={t('field.email')} name="email" value={me.email} readOnly hint={managed('email')} />
        <TextField
          label={t('field.name')}
          name="name"
          autoComplete="name"
          value={name}
          error={fields.name}
          hint={managed('name')}
          readOnly={managed('name') !== undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField label={t('field.role')} name="role" value={t(`role.${me.role}`)} readOnly hint={managed('role')} />
        {me.municipality ?? me.district ? (
          <TextField
            label={t('field.municipality')}
            name="town"
            value={me.municipality?.name ?? me.district?.name ?? ''}
            readOnly
            hint={managed('town')}
          />
        ) : null}
        <SelectField
          label={t('field.locale')}
          name="locale"
          value={locale}
          error={fields.locale}
          options={[
            { value: 'de', label: t('language.de') },
            { value: 'en', label: t('language.en') },
          ]}
          onChange={(e) => {
            if (isLocale(e.target.value)) setLocale(e.target.value);
          }}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
            <span className="kern-label">{t('action.save')}</span>
          </button>
          {/* Discards what was typed: back to the saved name and language. */}
          <button
            type="button"
            className="kern-btn kern-btn--tertiary"
            onClick={() => {
              setName(me.name);
              setLocale(me.locale);
              save.reset();
            }}
          >
            <span className="kern-label">{t('action.cancel')}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
