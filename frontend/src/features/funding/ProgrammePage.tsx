// /foerderung/programme/:id: facts (topics as tags), calls with deadlines, interested towns, interest and new calls.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, PageHeading, QueryState, StatusMessage, TextAreaField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import { routes } from '@/lib/routes';
import { fundingApi } from './api';
import { FundingNav } from './FundingNav';
import { daysLeftText, formatDate, formatRate, programmeStatusLabel } from './logic';
import type { ProgrammeSavedState } from './ProgrammeEditPage';
import { fundingKeys, useProgramme } from './queries';
import { TopicTags } from './TopicTags';
import type { ProgrammeDetail } from './types';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

function Facts({ p }: { p: ProgrammeDetail }) {
  const { t, locale } = useI18n();
  return (
    <dl className="kern-description-list">
      <Fact label={t('funding.field.status')}>{programmeStatusLabel(t, p.status)}</Fact>
      {p.topics.length ? (
        <Fact label={t('funding.field.topics')}>
          <TopicTags ids={p.topics} />
        </Fact>
      ) : null}
      <Fact label={t('funding.field.level')}>{p.level}</Fact>
      <Fact label={t('funding.field.funder')}>{p.funder}</Fact>
      <Fact label={t('funding.field.administeringBody')}>{p.administering_body}</Fact>
      <Fact label={t('funding.field.region')}>{p.region}</Fact>
      <Fact label={t('funding.field.eligible')}>{p.eligible_applicants}</Fact>
      <Fact label={t('funding.field.fundingType')}>{p.funding_type}</Fact>
      <Fact label={t('funding.field.rate')}>{formatRate(p.rate_bp, locale)}</Fact>
      {p.increased_rate_bp != null ? (
        <Fact label={t('funding.field.increasedRate')}>
          {formatRate(p.increased_rate_bp, locale)}
          {p.increased_rate_condition ? ` – ${p.increased_rate_condition}` : ''}
        </Fact>
      ) : null}
      <Fact label={t('funding.field.maxAmount')}>
        {formatEuro(p.max_amount_cents, locale)}
        {p.max_amount_note ? <span className="kern-body kern-body--small"> ({p.max_amount_note})</span> : null}
      </Fact>
      {p.min_amount_cents != null ? <Fact label={t('funding.field.minAmount')}>{formatEuro(p.min_amount_cents, locale)}</Fact> : null}
      {p.website ? (
        <Fact label={t('funding.field.website')}>
          <a className="kern-link" href={p.website.split(' ; ')[0]} target="_blank" rel="noreferrer">
            {t('funding.toWebsite')}
          </a>
        </Fact>
      ) : null}
    </dl>
  );
}

function Calls({ p }: { p: ProgrammeDetail }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: fundingApi.deleteCall,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: fundingKeys.all }),
  });
  return (
    <section className="kern-stack dn-section" aria-labelledby="calls">
      <h2 className="kern-heading-medium" id="calls">
        {t('funding.calls')}
      </h2>
      {remove.isError ? <Alert variant="danger" title={problemMessage(t, remove.error)} /> : null}
      {p.calls.length ? (
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--striped">
            <caption className="kern-sr-only">{t('funding.calls')}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('funding.field.callTitle')}</th>
                <th scope="col" className="kern-table__header">{t('funding.field.opensOn')}</th>
                <th scope="col" className="kern-table__header">{t('funding.field.deadline')}</th>
                <th scope="col" className="kern-table__header">{t('funding.field.daysLeft')}</th>
                {p.can_edit ? <th scope="col" className="kern-table__header">{t('funding.actions')}</th> : null}
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {p.calls.map((c) => (
                <tr key={c.id} className="kern-table__row">
                  <th scope="row" className="kern-table__cell">{c.title}</th>
                  <td className="kern-table__cell">{c.opens_on ? formatDate(c.opens_on, locale) : '–'}</td>
                  <td className="kern-table__cell">
                    {formatDate(c.deadline_date, locale)}
                    {c.deadline_time ? `, ${t('funding.time', { time: c.deadline_time.slice(0, 5) })}` : ''}
                  </td>
                  <td className="kern-table__cell">{daysLeftText(t, c.days_left)}</td>
                  {p.can_edit ? (
                    <td className="kern-table__cell">
                      <button
                        type="button"
                        className="kern-btn kern-btn--tertiary kern-btn--x-small"
                        disabled={remove.isPending}
                        aria-label={t('funding.deleteCallNamed', { title: c.title })}
                        onClick={() => {
                          if (window.confirm(t('funding.deleteCallConfirm', { title: c.title }))) remove.mutate(c.id);
                        }}
                      >
                        <span className="kern-label">{t('funding.deleteCall')}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="kern-body">{t('funding.noCalls')}</p>
      )}
      {p.can_edit ? <NewCallForm programmeId={p.id} /> : null}
    </section>
  );
}

function NewCallForm({ programmeId }: { programmeId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const empty = { title: '', opens_on: '', deadline_date: '', deadline_time: '' };
  const [values, setValues] = useState(empty);
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      fundingApi.createCall(programmeId, {
        title: values.title.trim(),
        deadline_date: values.deadline_date,
        opens_on: values.opens_on || null,
        deadline_time: values.deadline_time ? `${values.deadline_time}:00`.slice(0, 8) : null,
      }),
    onSuccess: async () => {
      setValues(empty);
      await queryClient.invalidateQueries({ queryKey: fundingKeys.all });
    },
  });
  const server = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const errors: Record<string, string | undefined> = { ...server, ...local };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!values.title.trim()) found.title = t('validation.required');
    if (!values.deadline_date) found.deadline_date = t('validation.required');
    setLocal(found);
    if (Object.keys(found).length === 0) create.mutate();
  };
  const set = (key: keyof typeof empty, value: string) => setValues((v) => ({ ...v, [key]: value }));
  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('funding.newCall')}>
      <h3 className="kern-heading-small">{t('funding.newCall')}</h3>
      {create.isError && Object.keys(server).length === 0 ? <Alert variant="danger" title={problemMessage(t, create.error)} /> : null}
      {create.isSuccess ? <Alert variant="success" title={t('funding.callCreated')} /> : null}
      <TextField label={t('funding.field.callTitle')} required value={values.title} error={errors.title} onChange={(e) => set('title', e.target.value)} />
      <TextField
        label={t('funding.field.opensOn')}
        type="date"
        optional
        value={values.opens_on}
        error={errors.opens_on}
        onChange={(e) => set('opens_on', e.target.value)}
      />
      <TextField
        label={t('funding.field.deadline')}
        type="date"
        required
        value={values.deadline_date}
        error={errors.deadline_date}
        onChange={(e) => set('deadline_date', e.target.value)}
      />
      <TextField
        label={t('funding.field.deadlineTime')}
        type="time"
        optional
        value={values.deadline_time}
        error={errors.deadline_time}
        onChange={(e) => set('deadline_time', e.target.value)}
      />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending}>
          <span className="kern-label">{t('funding.newCall')}</span>
        </button>
      </div>
    </form>
  );
}

function Interest({ p }: { p: ProgrammeDetail }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const declare = useMutation({
    mutationFn: () => fundingApi.declareInterest(p.id, note.trim()),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: fundingKeys.programme(p.id) });
    },
  });
  const mine = p.interested.some((i) => i.municipality_id === me.municipality?.id);
  return (
    <section className="kern-stack dn-section" aria-labelledby="interest">
      <h2 className="kern-heading-medium" id="interest">
        {t('funding.interested')}
      </h2>
      {p.interested.length ? (
        <ul className="dn-plain-list">
          {p.interested.map((i) => (
            <li key={i.municipality_id} data-testid="interested-town">
              <strong>{i.municipality_name}</strong> · {formatDateTime(i.created_at, locale)}
              {i.note ? <p className="kern-body dn-pre-line">{i.note}</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('funding.noInterest')}</p>
      )}
      {can.declareFundingInterest(me) && me.municipality ? (
        <form
          className="kern-stack dn-form"
          noValidate
          aria-label={t('funding.declareInterest')}
          onSubmit={(e) => {
            e.preventDefault();
            declare.mutate();
          }}
        >
          {declare.isError ? <Alert variant="danger" title={problemMessage(t, declare.error)} /> : null}
          {declare.isSuccess ? <Alert variant="success" title={t('funding.interestSaved')} /> : null}
          <TextAreaField
            label={t('funding.interestNote')}
            hint={mine ? t('funding.interestUpdateHint') : undefined}
            optional
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={declare.isPending}>
              <span className="kern-label">{t('funding.declareInterest')}</span>
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function ProgrammeView({ p }: { p: ProgrammeDetail }) {
  const t = useT();
  const me = useMe();
  const saved = (useLocation().state as ProgrammeSavedState | null)?.programmeSaved === true;
  return (
    <div className="kern-stack-lg">
      <PageHeading>{p.name}</PageHeading>
      <FundingNav />
      <StatusMessage message={saved ? t('funding.programmeEdit.saved') : null} />
      {can.createApplication(me) || p.can_edit ? (
        <div className="kern-btn-wrapper dn-actions">
          {can.createApplication(me) ? (
            <Link className="kern-btn kern-btn--primary" to={`${routes.newFundingApplication}?programm=${encodeURIComponent(p.id)}`}>
              <span className="kern-label">{t('funding.newApplication')}</span>
            </Link>
          ) : null}
          {p.can_edit ? (
            <Link className="kern-btn kern-btn--secondary" to={routes.editFundingProgramme(p.id)}>
              <span className="kern-label">{t('funding.programmeEdit.link')}</span>
            </Link>
          ) : null}
        </div>
      ) : null}
      <section className="kern-stack" aria-labelledby="facts">
        <h2 className="kern-heading-medium" id="facts">
          {t('funding.facts')}
        </h2>
        <Facts p={p} />
        {p.description ? <p className="kern-body dn-pre-line">{p.description}</p> : null}
      </section>
      <Calls p={p} />
      <Interest p={p} />
    </div>
  );
}

export function ProgrammePage() {
  const { id = '' } = useParams();
  const programme = useProgramme(id);
  return <QueryState query={programme}>{(p) => <ProgrammeView p={p} />}</QueryState>;
}
