// /foerderung/antraege/neu and /foerderung/antraege/:id: the application with its shares,
// linked projects, warnings, checklist (with documents per item), documents, status changes
// (If-Match) and history, in three sections with an in-page navigation (SectionNav); the edit
// form opens on demand ("Bearbeiten").
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, CheckboxField, PageHeading, PageSectionGroup, QueryState, SectionNav, SelectField, StatusMessage, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { centsToEuroInput, formatEuro, parseEuroToCents } from '@/lib/money';
import { routes } from '@/lib/routes';
import { fundingApi } from './api';
import { ApplicationForm, valuesFrom, type FormValues } from './ApplicationForm';
import { FundingNav } from './FundingNav';
import { formatDate } from './logic';
import { ChecklistDocuments, DocumentsSection } from './Documents';
import { fundingKeys, useApplication, useDistrictUsers, useProgramme } from './queries';
import { StatusBadge } from './StatusBadge';
import type { ApplicationDetail, ApplicationStatus, ChecklistItem } from './types';

/** Navigation state telling the application page that the application was just created. */
export interface ApplicationSavedState {
  applicationCreated?: boolean;
}

export function NewApplicationPage() {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const initial: FormValues = {
    programme_id: params.get('programm') ?? '',
    call_id: '',
    title: '',
    lead_municipality_id: me.municipality?.id ?? '',
    total: '',
    requested: '',
    approved: '',
    lead_share: '',
    partners: [],
    notes: '',
    project_ids: [],
  };
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('funding.form.new')}</PageHeading>
      <FundingNav />
      <p className="kern-body">{t('funding.form.intro')}</p>
      <ApplicationForm
        initial={initial}
        onSaved={(saved) => {
          const state: ApplicationSavedState = { applicationCreated: true };
          return navigate(routes.fundingApplication(saved.id), { state });
        }}
        onCancel={() => void navigate(routes.fundingApplications)}
      />
    </div>
  );
}

function useApplicationMutation<V>(application: ApplicationDetail, run: (v: V) => Promise<ApplicationDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (saved) => {
      queryClient.setQueryData(fundingKeys.application(application.id), saved);
      await queryClient.invalidateQueries({ queryKey: fundingKeys.applications });
    },
  });
}

function StaleAlert({ onReload }: { onReload: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <Alert variant="danger" title={t('funding.stale')}>
      <button
        type="button"
        className="kern-btn kern-btn--secondary"
        onClick={() => {
          onReload();
          void queryClient.invalidateQueries({ queryKey: fundingKeys.all });
        }}
      >
        <span className="kern-label">{t('funding.reload')}</span>
      </button>
    </Alert>
  );
}

/** A partner town's officer changes only the own share. */
function OwnShareForm({ application }: { application: ApplicationDetail }) {
  const { t, locale } = useI18n();
  const editable = application.shares.filter((s) => s.can_edit);
  const [amounts, setAmounts] = useState<Record<string, string>>(() =>
    Object.fromEntries(editable.map((s) => [s.municipality_id, centsToEuroInput(s.share_cents)])),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useApplicationMutation(application, (shares: { municipality_id: string; share_cents: number }[]) =>
    fundingApi.updateApplication(application.id, application.version, { shares }),
  );
  if (!editable.length) return null;
  const stale = save.error instanceof ApiError && save.error.kind === 'precondition-failed';
  const server = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const shares = editable.map((s) => {
      const cents = parseEuroToCents(amounts[s.municipality_id] ?? '');
      if (cents === null || Number.isNaN(cents)) found[s.municipality_id] = t('funding.form.amountInvalid');
      return { municipality_id: s.municipality_id, share_cents: cents ?? 0 };
    });
    setLocal(found);
    if (Object.keys(found).length === 0) save.mutate(shares);
  };
  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('funding.ownShare')}>
      <h2 className="kern-heading-medium">{t('funding.ownShare')}</h2>
      {stale ? <StaleAlert onReload={() => save.reset()} /> : null}
      {save.isError && !stale && Object.keys(server).length === 0 ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
      {server.shares ? <Alert variant="danger" title={server.shares} /> : null}
      <p className="kern-body">{t('funding.totalIs', { total: formatEuro(application.total_costs_cents, locale) })}</p>
      {editable.map((s) => (
        <TextField
          key={s.municipality_id}
          label={t('funding.form.shareOf', { town: s.municipality_name })}
          inputMode="decimal"
          value={amounts[s.municipality_id] ?? ''}
          error={local[s.municipality_id]}
          onChange={(e) => setAmounts((a) => ({ ...a, [s.municipality_id]: e.target.value }))}
        />
      ))}
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('funding.form.saveShare')}</span>
        </button>
      </div>
    </form>
  );
}

function Summary({ application: a }: { application: ApplicationDetail }) {
  const { t, locale } = useI18n();
  // The chosen call and its deadline come from the programme (the application holds only the call's id).
  const programme = useProgramme(a.programme_id);
  const call = a.call_id ? programme.data?.calls.find((c) => c.id === a.call_id) : undefined;
  const deadline = call
    ? `${formatDate(call.deadline_date, locale)}${call.deadline_time ? `, ${t('funding.time', { time: call.deadline_time.slice(0, 5) })}` : ''}`
    : '–';
  return (
    <dl className="kern-description-list">
      {(
        [
          [t('funding.field.status'), <StatusBadge key="s" status={a.status} />],
          [t('funding.field.programme'), a.programme_name],
          [t('funding.field.call'), a.call_id ? (call?.title ?? '…') : t('funding.form.noCall')],
          [t('funding.field.deadline'), deadline],
          [t('funding.field.lead'), a.lead_municipality_name],
          [t('funding.field.totalCosts'), formatEuro(a.total_costs_cents, locale)],
          [t('funding.field.requested'), formatEuro(a.requested_cents, locale)],
          [t('funding.ownContribution'), formatEuro(a.own_contribution_cents, locale)],
          [t('funding.field.approved'), formatEuro(a.approved_cents, locale)],
          [t('funding.shares.title'), a.shares.map((s) => `${s.municipality_name}: ${formatEuro(s.share_cents, locale)}`).join(' · ')],
        ] as const
      ).map(([label, value]) => (
        <div key={label} className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{label}</dt>
          <dd className="kern-description-list-item__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The linked projects the viewer may see (the server leaves out the others), as links to their pages. */
function LinkedProjects({ application }: { application: ApplicationDetail }) {
  const t = useT();
  return (
    <section className="kern-stack" aria-labelledby="linked-projects">
      <h2 className="kern-heading-medium" id="linked-projects">
        {t('funding.projects.title')}
      </h2>
      {application.projects.length ? (
        <ul className="dn-links" data-testid="application-projects">
          {application.projects.map((p) => (
            <li key={p.id} className="kern-body">
              <Link className="kern-link" to={routes.project(p.id)}>
                {p.title}
              </Link>{' '}
              ({t(`projects.status.${p.status}`)})
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('funding.projects.none')}</p>
      )}
    </section>
  );
}

function ChecklistRow({ application, item, manage }: { application: ApplicationDetail; item: ChecklistItem; manage: boolean }) {
  const { t, locale } = useI18n();
  const users = useDistrictUsers(application.district_id, manage);
  const [assignee, setAssignee] = useState(item.assignee_id ?? '');
  const [due, setDue] = useState(item.due_date ?? '');
  // Ticked at once; the row is re-created with the saved item (keyed by its version), or reset on failure.
  const [done, setDone] = useState(item.done);
  const update = useApplicationMutation(application, (body: { done?: boolean; assignee_id?: string | null; due_date?: string | null }) =>
    fundingApi.updateChecklistItem(item.id, item.version, body),
  );
  const stale = update.error instanceof ApiError && update.error.kind === 'precondition-failed';
  const towns = new Map(application.shares.map((s) => [s.municipality_id, s.municipality_name]));
  const candidates = (users.data?.items ?? []).filter((u) => (u.municipality_id ? towns.has(u.municipality_id) : u.role === 'coordinator'));
  return (
    <li className="dn-comment" data-testid="checklist-item">
      <CheckboxField
        label={item.title}
        checked={done}
        disabled={!item.can_tick || update.isPending}
        onChange={(e) => {
          setDone(e.target.checked);
          update.mutate({ done: e.target.checked }, { onError: () => setDone(item.done) });
        }}
      />
      <p className="kern-body kern-body--small">
        {t('funding.checklist.assignee')}: {item.assignee_name ?? t('funding.checklist.nobody')} · {t('funding.checklist.due')}:{' '}
        {item.due_date ? formatDate(item.due_date, locale) : '–'}
        {item.done && item.done_at ? ` · ${t('funding.checklist.doneAt', { at: formatDateTime(item.done_at, locale) })}` : ''}
      </p>
      {stale ? <StaleAlert onReload={() => update.reset()} /> : null}
      {update.isError && !stale ? <Alert variant="danger" title={problemMessage(t, update.error)} /> : null}
      <ChecklistDocuments application={application} item={item} />
      {manage ? (
        <details className="dn-details">
          <summary className="kern-body">{t('funding.checklist.editNamed', { title: item.title })}</summary>
          <form
            className="dn-filters"
            aria-label={t('funding.checklist.editNamed', { title: item.title })}
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ assignee_id: assignee || null, due_date: due || null });
            }}
          >
            <SelectField
              label={t('funding.checklist.assigneeFor', { title: item.title })}
              value={assignee}
              options={[
                { value: '', label: t('funding.checklist.nobody') },
                ...candidates.map((u) => ({ value: u.id, label: `${u.name} (${(u.municipality_id && towns.get(u.municipality_id)) || t(`role.${u.role}`)})` })),
              ]}
              onChange={(e) => setAssignee(e.target.value)}
            />
            <TextField label={t('funding.checklist.dueFor', { title: item.title })} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
            <div className="kern-btn-wrapper">
              <button type="submit" className="kern-btn kern-btn--secondary" disabled={update.isPending} aria-label={t('funding.checklist.saveNamed', { title: item.title })}>
                <span className="kern-label">{t('funding.checklist.save')}</span>
              </button>
            </div>
          </form>
        </details>
      ) : null}
    </li>
  );
}

function NewChecklistItem({ application }: { application: ApplicationDetail }) {
  const t = useT();
  const users = useDistrictUsers(application.district_id, true);
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState('');
  const [due, setDue] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const add = useApplicationMutation(application, () =>
    fundingApi.addChecklistItem(application.id, { title: title.trim(), assignee_id: assignee || null, due_date: due || null }),
  );
  const towns = new Map(application.shares.map((s) => [s.municipality_id, s.municipality_name]));
  const candidates = (users.data?.items ?? []).filter((u) => (u.municipality_id ? towns.has(u.municipality_id) : u.role === 'coordinator'));
  const server = add.error instanceof ApiError ? add.error.fieldErrors : {};
  return (
    <details className="dn-details">
      <summary className="kern-body">{t('funding.checklist.add')}</summary>
      <form
        className="kern-stack dn-form"
        noValidate
        aria-label={t('funding.checklist.add')}
        onSubmit={(e) => {
          e.preventDefault();
          if (!title.trim()) {
            setLocal(t('validation.required'));
            return;
          }
          setLocal(undefined);
          add.mutate(undefined, {
            onSuccess: () => {
              setTitle('');
              setAssignee('');
              setDue('');
            },
          });
        }}
      >
        {add.isError && Object.keys(server).length === 0 ? <Alert variant="danger" title={problemMessage(t, add.error)} /> : null}
        <TextField label={t('funding.checklist.title')} value={title} error={local ?? server.title} onChange={(e) => setTitle(e.target.value)} />
        <SelectField
          label={t('funding.checklist.assignee')}
          value={assignee}
          error={server.assignee_id}
          options={[
            { value: '', label: t('funding.checklist.nobody') },
            ...candidates.map((u) => ({ value: u.id, label: `${u.name} (${(u.municipality_id && towns.get(u.municipality_id)) || t(`role.${u.role}`)})` })),
          ]}
          onChange={(e) => setAssignee(e.target.value)}
        />
        <TextField label={t('funding.checklist.due')} type="date" optional value={due} error={server.due_date} onChange={(e) => setDue(e.target.value)} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--secondary" disabled={add.isPending}>
            <span className="kern-label">{t('funding.checklist.addSubmit')}</span>
          </button>
        </div>
      </form>
    </details>
  );
}

function StatusSection({ application }: { application: ApplicationDetail }) {
  const t = useT();
  const [note, setNote] = useState('');
  const change = useApplicationMutation(application, (to: ApplicationStatus) =>
    fundingApi.changeStatus(application.id, application.version, to, note),
  );
  const stale = change.error instanceof ApiError && change.error.kind === 'precondition-failed';
  if (!application.next_statuses.length) return null;
  return (
    <section className="kern-stack dn-section" aria-labelledby="status">
      <h2 className="kern-heading-medium" id="status">
        {t('funding.changeStatus')}
      </h2>
      {stale ? <StaleAlert onReload={() => change.reset()} /> : null}
      {change.isError && !stale ? <Alert variant="danger" title={problemMessage(t, change.error)} /> : null}
      <TextField label={t('funding.statusNote')} optional value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="kern-btn-wrapper dn-actions" role="group" aria-label={t('funding.changeStatus')}>
        {application.next_statuses.map((s) => (
          <button
            key={s}
            type="button"
            className={`kern-btn ${s === 'withdrawn' ? 'kern-btn--tertiary' : 'kern-btn--secondary'}`}
            disabled={change.isPending}
            onClick={() => change.mutate(s, { onSuccess: () => setNote('') })}
          >
            <span className="kern-label">{t(`funding.move.${s}`)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

/** The page's sections, in order; the anchor (`#checkliste`) keeps the place in links and on reload. */
export const APPLICATION_SECTIONS = [
  { id: 'ueberblick', label: 'funding.sections.overview' },
  { id: 'checkliste', label: 'funding.sections.checklist' },
  { id: 'verlauf', label: 'funding.sections.history' },
] as const;

/** The edit form, opened on demand: its heading takes focus when it opens. */
function EditSection({ application: a, onSaved, onCancel }: { application: ApplicationDetail; onSaved: () => void; onCancel: () => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="kern-stack dn-section" aria-labelledby="edit" id="application-edit">
      <h2 className="kern-heading-medium" id="edit" tabIndex={-1} ref={heading}>
        {t('funding.form.edit')}
      </h2>
      <ApplicationForm key={a.version} initial={valuesFrom(a)} existing={a} onSaved={onSaved} onCancel={onCancel} />
    </section>
  );
}

function ApplicationView({ application: a }: { application: ApplicationDetail }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const location = useLocation();
  // "Angelegt" after the new-application form, until the editor is opened.
  const [created, setCreated] = useState((location.state as ApplicationSavedState | null)?.applicationCreated === true);
  const editButton = useRef<HTMLButtonElement>(null);
  /** Set when the form closes: focus goes back to "Bearbeiten" once it is shown again. */
  const refocus = useRef(false);
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    editButton.current?.focus();
  }, [editing]);
  const closeEditor = (afterSave: boolean) => {
    refocus.current = true;
    setSaved(afterSave);
    setEditing(false);
  };
  const showRequest = can.requestSupport(me);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{a.title}</PageHeading>
      <FundingNav />
      <StatusMessage message={saved ? t('funding.form.saved') : created ? t('funding.form.created') : null} />
      {showRequest || (a.can_manage && !editing) ? (
        <div className="kern-btn-wrapper dn-actions">
          {a.can_manage && !editing ? (
            <button
              type="button"
              ref={editButton}
              className="kern-btn kern-btn--secondary"
              onClick={() => {
                setSaved(false);
                setCreated(false);
                setEditing(true);
              }}
            >
              <span className="kern-icon kern-icon--edit" aria-hidden="true" />
              <span className="kern-label">{t('funding.edit')}</span>
            </button>
          ) : null}
          {/* Users without an own town (coordinators) open the request for a town: the lead town is the likely one. */}
          {showRequest ? (
            <Link to={routes.newSupportRequestFor(a.id, me.municipality ? undefined : a.lead_municipality_id)} className="kern-btn kern-btn--secondary">
              <span className="kern-label">{t('funding.requestSupport')}</span>
            </Link>
          ) : null}
        </div>
      ) : null}
      <SectionNav label={t('funding.sections.nav')} sections={APPLICATION_SECTIONS.map((section) => ({ id: section.id, label: t(section.label) }))} />
      <PageSectionGroup id="ueberblick">
        {a.can_manage && editing ? (
          <EditSection application={a} onSaved={() => closeEditor(true)} onCancel={() => closeEditor(false)} />
        ) : null}
        <Summary application={a} />
        <LinkedProjects application={a} />
        {a.warnings.length ? (
          <Alert variant="info" title={t('funding.warnings')}>
            <ul className="kern-list">
              {a.warnings.map((w) => (
                <li key={w} className="kern-body">
                  {w}
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        {a.can_manage ? <StatusSection application={a} /> : <OwnShareForm key={a.version} application={a} />}
        {/* The internal notes: read here, changed in the edit form. */}
        {!editing && a.notes != null && a.notes !== '' ? (
          <section className="kern-stack" aria-labelledby="notes">
            <h2 className="kern-heading-medium" id="notes">
              {t('funding.field.notes')}
            </h2>
            <p className="kern-body dn-pre-line">{a.notes}</p>
          </section>
        ) : null}
      </PageSectionGroup>
      <PageSectionGroup id="checkliste">
        <section className="kern-stack dn-section" aria-labelledby="checklist">
          <h2 className="kern-heading-medium" id="checklist">
            {t('funding.checklist')}
          </h2>
          {a.checklist.length ? (
            <ul className="dn-card-list" aria-label={t('funding.checklist')}>
              {a.checklist.map((item) => (
                <ChecklistRow key={`${item.id}-${item.version}`} application={a} item={item} manage={a.can_manage} />
              ))}
            </ul>
          ) : (
            <p className="kern-body">{t('funding.checklist.empty')}</p>
          )}
          {a.can_manage ? <NewChecklistItem application={a} /> : null}
        </section>
        <DocumentsSection application={a} />
      </PageSectionGroup>
      <PageSectionGroup id="verlauf">
        <section className="kern-stack dn-section" aria-labelledby="history">
          <h2 className="kern-heading-medium" id="history">
            {t('funding.history')}
          </h2>
          <ol className="dn-timeline">
            {a.history.map((h, index) => (
              <li key={`${h.changed_at}-${index}`} className="dn-timeline__item" data-testid="history-entry">
                <p className="kern-body">
                  {h.from_status ? `${t(`funding.status.${h.from_status}`)} → ` : ''}
                  {t(`funding.status.${h.to_status}`)}
                </p>
                <p className="kern-body kern-body--small">
                  {h.changed_by_name ?? t('funding.someone')} · {formatDateTime(h.changed_at, locale)}
                </p>
                {h.note ? <p className="kern-body dn-pre-line">{h.note}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      </PageSectionGroup>
    </div>
  );
}

export function ApplicationPage() {
  const { id = '' } = useParams();
  const application = useApplication(id);
  return <QueryState query={application}>{(a) => <ApplicationView application={a} />}</QueryState>;
}
