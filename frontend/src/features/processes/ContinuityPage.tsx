// /prozesse/:id/notfallkarte/:townId: a town's continuity sheet (Notfallkarte) for one process —
// criticality, tolerable outage, the fallback, contacts and systems; "Kontakte bestätigen"; exercises.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  ErrorSummary,
  Fieldset,
  PageHeading,
  QueryState,
  RadioField,
  SelectField,
  StatusMessage,
  summaryErrors,
  TextAreaField,
  TextField,
} from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { parseCount } from './numbers';
import { processKeys, useTowns } from './queries';
import { criticalities, fallbackKinds, type ContinuityInput, type ContinuitySheet, type Criticality, type FallbackKind } from './types';

interface Values {
  criticality: Criticality;
  max_outage_hours: string;
  fallback_kind: FallbackKind;
  fallback: string;
  partner_municipality_id: string;
  contacts: string;
  systems: string;
}

const ORDER = ['criticality', 'max_outage_hours', 'fallback_kind', 'fallback', 'partner_municipality_id', 'contacts', 'systems'] as const;
const fid = (f: string) => `continuity-${f}`;

function fromSheet(s: ContinuitySheet): Values {
  return {
    criticality: s.criticality ?? 'B',
    max_outage_hours: s.max_outage_hours != null ? String(s.max_outage_hours) : '',
    fallback_kind: s.fallback_kind ?? 'paper',
    fallback: s.fallback,
    partner_municipality_id: s.partner_municipality?.id ?? '',
    contacts: s.contacts,
    systems: s.systems,
  };
}

function SheetForm({ sheet }: { sheet: ContinuitySheet }) {
  const t = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const towns = useTowns(me.district?.id);
  const [values, setValues] = useState<Values>(() => fromSheet(sheet));
  const [version, setVersion] = useState(sheet.exists ? sheet.version : 0);
  const [localErrors, setLocalErrors] = useState<Partial<Record<string, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const key = processKeys.part(sheet.process_id, 'continuity', sheet.municipality.id);
  const save = useMutation({
    mutationFn: (body: ContinuityInput) => processesApi.saveContinuity(sheet.process_id, sheet.municipality.id, version, body),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: (saved) => {
      setVersion(saved.version);
      queryClient.setQueryData(key, saved);
    },
  });
  const reload = useMutation({
    mutationFn: () => processesApi.continuity(sheet.process_id, sheet.municipality.id),
    onSuccess: (fresh) => {
      setVersion(fresh.version);
      save.reset();
    },
  });
  const stale = save.error instanceof ApiError && save.error.kind === 'precondition-failed';
  const server = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const errors: Partial<Record<string, string>> = { ...server, ...localErrors };
  const general = save.error && !stale && Object.keys(server).length === 0 ? problemMessage(t, save.error) : null;
  const labels: Record<string, string> = {
    criticality: t('processes.continuity.criticality'),
    max_outage_hours: t('processes.continuity.maxOutage'),
    fallback_kind: t('processes.continuity.fallbackKind'),
    fallback: t('processes.continuity.fallback'),
    partner_municipality_id: t('processes.continuity.partner'),
    contacts: t('processes.continuity.contacts'),
    systems: t('processes.continuity.systems'),
  };
  const summary = summaryErrors<string>(errors, ORDER, fid, (f) => labels[f] ?? f);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    const hours = parseCount(values.max_outage_hours);
    if (hours === null) local.max_outage_hours = t('processes.continuity.hoursInvalid');
    if (values.fallback_kind === 'partner' && !values.partner_municipality_id) local.partner_municipality_id = t('processes.continuity.partnerMissing');
    setLocalErrors(local);
    if (hours === null || Object.keys(local).length > 0) {
      setAttempt((a) => a + 1);
      return;
    }
    save.mutate({
      criticality: values.criticality,
      max_outage_hours: hours,
      fallback_kind: values.fallback_kind,
      fallback: values.fallback.trim(),
      partner_municipality_id: values.fallback_kind === 'partner' ? values.partner_municipality_id : null,
      contacts: values.contacts.trim(),
      systems: values.systems.trim(),
    });
  };
  const partners = (towns.data?.items ?? []).filter((m) => m.kind !== 'district_administration' && m.id !== sheet.municipality.id);
  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('processes.continuity.form')}>
      <ErrorSummary errors={summary} attempt={attempt} />
      <StatusMessage message={save.isSuccess ? t('processes.continuity.saved') : null} />
      {stale ? (
        <Alert variant="danger" title={t('processes.stale.title')}>
          <p className="kern-body">{t('processes.stale.text')}</p>
          <button type="button" className="kern-btn kern-btn--primary" disabled={reload.isPending} onClick={() => reload.mutate()}>
            <span className="kern-label">{t('processes.stale.keep')}</span>
          </button>
        </Alert>
      ) : null}
      {general ? <Alert variant="danger" title={general} /> : null}
      <Fieldset id={fid('criticality')} legend={labels.criticality ?? ''} error={errors.criticality} horizontal>
        {criticalities.map((c) => (
          <RadioField
            key={c}
            name="criticality"
            value={c}
            label={t(`processes.criticality.${c}`)}
            checked={values.criticality === c}
            onChange={() => set('criticality', c)}
          />
        ))}
      </Fieldset>
      <TextField
        id={fid('max_outage_hours')}
        label={labels.max_outage_hours ?? ''}
        hint={t('processes.continuity.maxOutageHint')}
        inputMode="numeric"
        value={values.max_outage_hours}
        error={errors.max_outage_hours}
        onChange={(e) => set('max_outage_hours', e.target.value)}
      />
      <Fieldset id={fid('fallback_kind')} legend={labels.fallback_kind ?? ''} error={errors.fallback_kind}>
        {fallbackKinds.map((k) => (
          <RadioField
            key={k}
            name="fallback_kind"
            value={k}
            label={t(`processes.fallbackKind.${k}`)}
            checked={values.fallback_kind === k}
            onChange={() => set('fallback_kind', k)}
          />
        ))}
      </Fieldset>
      {values.fallback_kind === 'partner' ? (
        <SelectField
          id={fid('partner_municipality_id')}
          label={labels.partner_municipality_id ?? ''}
          value={values.partner_municipality_id}
          error={errors.partner_municipality_id}
          options={[{ value: '', label: t('processes.chooseTown') }, ...partners.map((m) => ({ value: m.id, label: m.name }))]}
          onChange={(e) => set('partner_municipality_id', e.target.value)}
        />
      ) : null}
      <TextAreaField
        id={fid('fallback')}
        label={labels.fallback ?? ''}
        hint={t('processes.continuity.fallbackHint')}
        rows={4}
        value={values.fallback}
        error={errors.fallback}
        onChange={(e) => set('fallback', e.target.value)}
      />
      <TextAreaField
        id={fid('contacts')}
        label={labels.contacts ?? ''}
        hint={t('processes.continuity.contactsHint')}
        rows={4}
        value={values.contacts}
        error={errors.contacts}
        onChange={(e) => set('contacts', e.target.value)}
      />
      <TextAreaField
        id={fid('systems')}
        label={labels.systems ?? ''}
        rows={3}
        value={values.systems}
        error={errors.systems}
        onChange={(e) => set('systems', e.target.value)}
      />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('processes.continuity.save')}</span>
        </button>
      </div>
    </form>
  );
}

function ReadOnlySheet({ sheet }: { sheet: ContinuitySheet }) {
  const t = useT();
  const rows: [string, string][] = [
    [t('processes.continuity.criticality'), sheet.criticality ? t(`processes.criticality.${sheet.criticality}`) : '–'],
    [t('processes.continuity.maxOutage'), sheet.max_outage_hours != null ? t('processes.continuity.hours', { hours: sheet.max_outage_hours }) : '–'],
    [t('processes.continuity.fallbackKind'), sheet.fallback_kind ? t(`processes.fallbackKind.${sheet.fallback_kind}`) : '–'],
    [t('processes.continuity.partner'), sheet.partner_municipality?.name ?? '–'],
    [t('processes.continuity.fallback'), sheet.fallback || '–'],
    [t('processes.continuity.contacts'), sheet.contacts || '–'],
    [t('processes.continuity.systems'), sheet.systems || '–'],
  ];
  return (
    <dl className="kern-description-list">
      {rows.map(([k, v]) => (
        <div key={k} className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{k}</dt>
          <dd className="kern-description-list-item__value dn-pre-line">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Confirmation({ sheet }: { sheet: ContinuitySheet }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: () => processesApi.confirmContacts(sheet.process_id, sheet.municipality.id),
    onSuccess: (saved) => queryClient.setQueryData(processKeys.part(sheet.process_id, 'continuity', sheet.municipality.id), saved),
  });
  return (
    <section className="kern-stack" aria-labelledby="confirmation">
      <h2 className="kern-heading-medium" id="confirmation">
        {t('processes.continuity.confirmTitle')}
      </h2>
      <p className="kern-body" data-testid="confirmed-at">
        {sheet.confirmed_at ? t('processes.continuity.confirmedAt', { date: formatDateTime(sheet.confirmed_at, locale) }) : t('processes.continuity.neverConfirmed')}
      </p>
      {sheet.confirmation_due ? <Alert variant="warning" title={t('processes.continuity.due')} /> : null}
      {sheet.can_edit && sheet.exists ? (
        <div className="kern-btn-wrapper">
          <button type="button" className="kern-btn kern-btn--secondary" disabled={confirm.isPending} onClick={() => confirm.mutate()}>
            <span className="kern-icon kern-icon--check" aria-hidden="true" />
            <span className="kern-label">{t('processes.continuity.confirm')}</span>
          </button>
        </div>
      ) : null}
      <StatusMessage message={confirm.isSuccess ? t('processes.continuity.confirmed') : null} />
      {confirm.isError ? <Alert variant="danger" title={problemMessage(t, confirm.error)} /> : null}
    </section>
  );
}

function Exercises({ sheet }: { sheet: ContinuitySheet }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const key = processKeys.part(sheet.process_id, 'exercises', sheet.municipality.id);
  const list = useQuery({ queryKey: key, queryFn: () => processesApi.exercises(sheet.process_id, sheet.municipality.id), enabled: sheet.exists });
  const [date, setDate] = useState('');
  const [note, setNote] = useState('');
  const add = useMutation({
    mutationFn: () => processesApi.addExercise(sheet.process_id, sheet.municipality.id, date, note.trim()),
    onSuccess: async () => {
      setDate('');
      setNote('');
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const errors = add.error instanceof ApiError ? add.error.fieldErrors : {};
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const dateFormat = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
  return (
    <section className="kern-stack" aria-labelledby="exercises">
      <h2 className="kern-heading-medium" id="exercises">
        {t('processes.exercises.title')}
      </h2>
      <p className="kern-body">{t('processes.exercises.intro')}</p>
      {!sheet.exists ? (
        <p className="kern-body">{t('processes.exercises.sheetFirst')}</p>
      ) : (
        <QueryState query={list}>
          {(data) => (
            <>
              {data.items.length === 0 ? (
                <p className="kern-body">{t('processes.exercises.none')}</p>
              ) : (
                <ul className="dn-plain-list" aria-label={t('processes.exercises.title')}>
                  {data.items.map((x) => (
                    <li key={x.id} className="kern-body">
                      <strong>{dateFormat.format(new Date(`${x.date}T00:00:00Z`))}</strong>
                      {x.note ? ` – ${x.note}` : ''}
                    </li>
                  ))}
                </ul>
              )}
              {data.can_add ? (
                <form className="dn-inline-form" noValidate onSubmit={submit} aria-label={t('processes.exercises.add')}>
                  <TextField label={t('processes.exercises.date')} type="date" value={date} error={errors.date} onChange={(e) => setDate(e.target.value)} />
                  <TextField label={t('processes.exercises.note')} optional value={note} error={errors.note} onChange={(e) => setNote(e.target.value)} />
                  <div className="kern-btn-wrapper">
                    <button type="submit" className="kern-btn kern-btn--secondary" disabled={add.isPending}>
                      <span className="kern-label">{t('processes.exercises.add')}</span>
                    </button>
                  </div>
                  {add.isError && Object.keys(errors).length === 0 ? <Alert variant="danger" title={problemMessage(t, add.error)} /> : null}
                </form>
              ) : null}
            </>
          )}
        </QueryState>
      )}
    </section>
  );
}

export function ContinuityPage() {
  const t = useT();
  const { id = '', townId = '' } = useParams();
  const sheet = useQuery({
    queryKey: processKeys.part(id, 'continuity', townId),
    queryFn: () => processesApi.continuity(id, townId),
  });
  return (
    <QueryState query={sheet}>
      {(s) => (
        <div className="kern-stack-lg">
          <PageHeading>{t('processes.continuity.title', { process: s.process_name, town: s.municipality.name })}</PageHeading>
          <p className="kern-body">
            <Link className="kern-link" to={routes.process(s.process_id)}>
              {t('processes.backToProcess', { name: s.process_name })}
            </Link>
          </p>
          <p className="kern-body">{t('processes.continuity.intro')}</p>
          {!s.exists ? <Alert variant="info" title={t('processes.continuity.missing')} /> : null}
          {s.can_edit ? <SheetForm key={`${s.process_id}-${s.municipality.id}`} sheet={s} /> : s.exists ? <ReadOnlySheet sheet={s} /> : null}
          <Confirmation sheet={s} />
          <Exercises sheet={s} />
        </div>
      )}
    </QueryState>
  );
}
