// /profil/benachrichtigungen: delivery mode per kind, topics for "new in the network", digest schedule (If-Match, 412 keeps choices), preview.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Alert, CheckboxField, Fieldset, PageHeading, QueryState, RadioField, SelectField, StatusMessage, TopicCheckboxes } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { notificationsApi, type NotificationSettings } from './api';
import { DigestPreview } from './DigestPreview';
import {
  formFieldOf,
  formFromSettings,
  formToBody,
  reapplyChoices,
  type SettingsField,
  type SettingsFormValues,
} from './form';
import {
  frequencies,
  frequencyLabel,
  hourLabel,
  hours,
  kindHint,
  kindLabel,
  kinds,
  modeLabel,
  modes,
  weekdayLabel,
  weekdays,
} from './labels';
import { notificationKeys } from './queries';

export function NotificationSettingsPage() {
  const t = useT();
  const settings = useQuery({ queryKey: notificationKeys.settings, queryFn: notificationsApi.settings });
  return (
    <div className="kern-stack-xl">
      <PageHeading>{t('notifications.settings.title')}</PageHeading>
      <p className="kern-body">{t('notifications.settings.intro')}</p>
      <p className="kern-body dn-inline-links">
        <Link to={routes.notifications} className="kern-link">
          {t('notifications.backToFeed')}
        </Link>
        <Link to={routes.profile} className="kern-link">
          {t('notifications.backToProfile')}
        </Link>
      </p>
      {/* Mounted once per loaded copy; a reload after 412 is handled inside the form. */}
      <QueryState query={settings}>{(s) => <SettingsForm initial={s} />}</QueryState>
      <DigestPreview />
    </div>
  );
}

function SettingsForm({ initial }: { initial: NotificationSettings }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [base, setBase] = useState<SettingsFormValues>(() => formFromSettings(initial));
  const [values, setValues] = useState<SettingsFormValues>(base);
  const [version, setVersion] = useState(initial.version ?? 0);
  const [merged, setMerged] = useState<SettingsField[] | null>(null);

  const save = useMutation({
    mutationFn: (v: SettingsFormValues) => notificationsApi.saveSettings(version, formToBody(v, version)),
    onSuccess: async (saved) => {
      const fresh = formFromSettings(saved);
      setBase(fresh);
      setValues(fresh);
      setVersion(saved.version ?? version + 1);
      queryClient.setQueryData(notificationKeys.settings, saved);
      await queryClient.invalidateQueries({ queryKey: notificationKeys.preview });
    },
  });

  const reload = useMutation({
    mutationFn: notificationsApi.settings,
    onSuccess: (fresh) => {
      const server = formFromSettings(fresh);
      const result = reapplyChoices(base, values, server);
      setBase(server);
      setValues(result.values);
      setVersion(fresh.version ?? 0);
      setMerged(result.conflicts);
      save.reset();
      queryClient.setQueryData(notificationKeys.settings, fresh);
    },
  });

  const err = save.error;
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const errors: Partial<Record<SettingsField, string>> = {};
  let unmapped = false;
  if (err instanceof ApiError) {
    for (const [field, message] of Object.entries(err.fieldErrors)) {
      const f = formFieldOf(field);
      if (f) errors[f] ??= message;
      else unmapped = true;
    }
  }
  const general = err && !stale && (Object.keys(errors).length === 0 || unmapped) ? problemMessage(t, err) : null;

  const setKind = (kind: (typeof kinds)[number], mode: (typeof modes)[number]) =>
    setValues((v) => ({ ...v, kinds: { ...v.kinds, [kind]: mode } }));
  const set = <F extends 'enabled' | 'frequency' | 'weekday' | 'hour'>(field: F, value: SettingsFormValues[F]) =>
    setValues((v) => ({ ...v, [field]: value }));

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setMerged(null);
    save.mutate(values);
  };

  const fieldName = (f: SettingsField) => {
    if (f === 'topics') return t('notifications.topics.legend');
    if (kinds.includes(f as (typeof kinds)[number])) return kindLabel(t, f as (typeof kinds)[number]);
    return t(`notifications.digest.${f}` as 'notifications.digest.hour');
  };
  const conflictNames = (merged ?? []).map(fieldName).join(', ');

  return (
    <form className="kern-stack-lg" noValidate onSubmit={submit} aria-label={t('notifications.settings.form')}>
      <StatusMessage message={save.isSuccess ? t('notifications.settings.saved') : null} />
      {stale ? (
        <Alert variant="danger" title={t('notifications.stale.title')}>
          <p className="kern-body">{t('notifications.stale.text')}</p>
          {reload.isError ? <p className="kern-body">{problemMessage(t, reload.error)}</p> : null}
          <button
            type="button"
            className="kern-btn kern-btn--primary"
            disabled={reload.isPending}
            onClick={() => reload.mutate()}
          >
            <span className="kern-label">{t('notifications.stale.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {merged !== null ? (
        <Alert variant="info" title={t('notifications.stale.merged')}>
          {merged.length ? (
            <p className="kern-body">{t('notifications.stale.conflicts', { fields: conflictNames })}</p>
          ) : null}
        </Alert>
      ) : null}
      {general ? <Alert variant="danger" title={general} /> : null}

      <section className="kern-stack" aria-labelledby="notification-kinds">
        <h2 className="kern-heading-medium" id="notification-kinds">
          {t('notifications.kinds.title')}
        </h2>
        <p className="kern-body">{t('notifications.kinds.intro')}</p>
        {kinds.map((kind) => (
          <Fieldset key={kind} legend={kindLabel(t, kind)} hint={kindHint(t, kind)} error={errors[kind]} horizontal>
            {modes.map((mode) => (
              <RadioField
                key={mode}
                name={`kind-${kind}`}
                value={mode}
                label={modeLabel(t, mode)}
                checked={values.kinds[kind] === mode}
                onChange={() => setKind(kind, mode)}
              />
            ))}
          </Fieldset>
        ))}
        <TopicCheckboxes
          legend={t('notifications.topics.legend')}
          hint={t('notifications.topics.hint')}
          error={errors.topics}
          selected={values.topics}
          onChange={(topics) => setValues((v) => ({ ...v, topics }))}
        />
      </section>

      <section className="kern-stack" aria-labelledby="notification-digest">
        <h2 className="kern-heading-medium" id="notification-digest">
          {t('notifications.digest.title')}
        </h2>
        <p className="kern-body">{t('notifications.digest.intro')}</p>
        <CheckboxField
          label={t('notifications.digest.enabled')}
          hint={t('notifications.digest.enabled.hint')}
          name="digest-enabled"
          checked={values.enabled}
          onChange={(e) => set('enabled', e.target.checked)}
        />
        {errors.enabled ? <p className="kern-error">{errors.enabled}</p> : null}
        <Fieldset legend={t('notifications.digest.frequency')} error={errors.frequency} horizontal>
          {frequencies.map((f) => (
            <RadioField
              key={f}
              name="digest-frequency"
              value={f}
              label={frequencyLabel(t, f)}
              checked={values.frequency === f}
              disabled={!values.enabled}
              onChange={() => set('frequency', f)}
            />
          ))}
        </Fieldset>
        <div className="dn-filters">
          {values.frequency === 'weekly' ? (
            <SelectField
              label={t('notifications.digest.weekday')}
              name="digest-weekday"
              value={String(values.weekday)}
              error={errors.weekday}
              disabled={!values.enabled}
              options={weekdays.map((d) => ({ value: String(d), label: weekdayLabel(t, d) }))}
              onChange={(e) => set('weekday', Number(e.target.value))}
            />
          ) : null}
          <SelectField
            label={t('notifications.digest.hour')}
            hint={t('notifications.digest.hour.hint')}
            name="digest-hour"
            value={String(values.hour)}
            error={errors.hour}
            disabled={!values.enabled}
            options={hours.map((h) => ({ value: String(h), label: hourLabel(t, h) }))}
            onChange={(e) => set('hour', Number(e.target.value))}
          />
        </div>
      </section>

      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('action.save')}</span>
        </button>
      </div>
    </form>
  );
}
