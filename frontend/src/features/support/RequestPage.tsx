// /unterstuetzung/:id: a support request with its conversation and attachments; coordinators also see
// internal notes, assign it and move its status (If-Match with the request version).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, CheckboxField, PageHeading, QueryState, SelectField, StatusMessage, TextAreaField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { supportApi } from './api';
import { RequestAttachments } from './Attachments';
import { OverdueBadge, RequestStatusBadge, UrgencyText } from './Badges';
import { formatMinutes } from '@/lib/duration';
import { supportKeys, useCoordinators, useRequest } from './queries';
import type { SupportRequest, SupportRequestDetail, SupportStatus } from './types';

/** Navigation state telling the request page that the request was just sent. */
export interface RequestSavedState {
  requestCreated?: boolean;
}

/** Puts a confirmation into the page's polite live region (null first, so the same words are announced again). */
type Announce = (message: string | null) => void;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

function formatDay(value: string, locale: string): string {
  const date = new Date(`${value}T12:00:00Z`);
  return Number.isNaN(date.getTime())
    ? value
    : new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(date);
}

export function Times({ request }: { request: SupportRequest }) {
  const t = useT();
  return (
    <>
      <p className="kern-body" data-testid="response-time">
        {request.response_minutes != null
          ? t('support.responseAfter', { duration: formatMinutes(t, request.response_minutes) })
          : t('support.noResponseYet')}
      </p>
      {request.resolution_minutes != null ? (
        <p className="kern-body" data-testid="resolution-time">
          {t('support.resolvedAfter', { duration: formatMinutes(t, request.resolution_minutes) })}
        </p>
      ) : null}
    </>
  );
}

function Facts({ request: r }: { request: SupportRequestDetail }) {
  const { t, locale } = useI18n();
  return (
    <dl className="kern-description-list">
      <Fact label={t('support.field.status')}>
        <span className="dn-badges">
          <RequestStatusBadge status={r.status} />
          {r.overdue ? <OverdueBadge /> : null}
        </span>
      </Fact>
      <Fact label={t('field.municipality')}>{r.municipality_name}</Fact>
      <Fact label={t('support.field.category')}>{t(`support.category.${r.category}`)}</Fact>
      <Fact label={t('support.field.urgency')}>
        <UrgencyText urgency={r.urgency} />
      </Fact>
      <Fact label={t('support.field.openedBy')}>
        {r.opened_by_name ?? '–'} · {formatDateTime(r.created_at, locale)}
      </Fact>
      <Fact label={t('support.field.wishedDate')}>{r.wished_date ? formatDay(r.wished_date, locale) : '–'}</Fact>
      <Fact label={t('support.field.assignee')}>{r.assignee_name ?? t('support.unassigned')}</Fact>
      {r.project_id ? (
        <Fact label={t('support.field.project')}>
          <Link className="kern-link" to={routes.project(r.project_id)}>
            {r.project_title ?? t('support.toProject')}
          </Link>
        </Fact>
      ) : null}
      {r.application_id ? (
        <Fact label={t('support.field.application')}>
          <Link className="kern-link" to={routes.fundingApplication(r.application_id)}>
            {r.application_title ?? t('support.toApplication')}
          </Link>
        </Fact>
      ) : null}
      {r.decline_reason ? <Fact label={t('support.declineReason')}>{r.decline_reason}</Fact> : null}
      {r.resolved_at ? <Fact label={t('support.field.resolvedAt')}>{formatDateTime(r.resolved_at, locale)}</Fact> : null}
    </dl>
  );
}

function Conversation({ request, announce }: { request: SupportRequestDetail; announce: Announce }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const send = useMutation({
    mutationFn: () => supportApi.post(request.id, body.trim(), internal),
    onMutate: () => announce(null),
    onSuccess: async () => {
      announce(internal ? t('support.notice.noteSaved') : t('support.notice.sent'));
      setBody('');
      setInternal(false);
      await queryClient.invalidateQueries({ queryKey: supportKeys.all });
    },
  });
  const closed = request.status === 'resolved' || request.status === 'declined';
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!body.trim()) {
      setError(t('validation.required'));
      return;
    }
    setError(undefined);
    send.mutate();
  };
  const server = send.error instanceof ApiError ? send.error.fieldErrors.body : undefined;
  return (
    <section className="kern-stack dn-section" aria-labelledby="conversation">
      <h2 className="kern-heading-medium" id="conversation">
        {t('support.conversation')}
      </h2>
      {request.messages.length ? (
        <ol className="dn-card-list" aria-label={t('support.conversation')}>
          {request.messages.map((m) => (
            <li key={m.id} className={`dn-comment${m.internal ? ' dn-comment--internal' : ''}`} data-testid={m.internal ? 'internal-note' : 'message'}>
              {m.internal ? (
                <p className="kern-body">
                  <span className="kern-badge kern-badge--warning">
                    <span className="kern-icon kern-icon--visibility-off kern-icon--small" aria-hidden="true" />
                    <span className="kern-label kern-label--small">{t('support.internalMark')}</span>
                  </span>
                </p>
              ) : null}
              <p className="kern-body kern-body--small">
                {m.author_name ?? t('support.someone')} · {formatDateTime(m.created_at, locale)}
              </p>
              <div className="kern-body dn-rich-text" dangerouslySetInnerHTML={{ __html: m.body_html }} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="kern-body">{t('support.noMessages')}</p>
      )}
      {!closed ? (
        <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('support.reply')}>
          {send.isError && !server ? <Alert variant="danger" title={problemMessage(t, send.error)} /> : null}
          <TextAreaField
            label={internal ? t('support.noteLabel') : t('support.replyLabel')}
            rows={4}
            value={body}
            error={error ?? server}
            onChange={(e) => setBody(e.target.value)}
          />
          {request.can_triage ? (
            <CheckboxField
              label={t('support.internalCheckbox')}
              hint={t('support.internalHint')}
              checked={internal}
              onChange={(e) => setInternal(e.target.checked)}
            />
          ) : null}
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={send.isPending}>
              <span className="kern-label">{internal ? t('support.saveNote') : t('support.send')}</span>
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function Triage({ request, announce }: { request: SupportRequestDetail; announce: Announce }) {
  const t = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const coordinators = useCoordinators(me.district?.id, true);
  // The select shows who has the request until another coordinator is chosen.
  const [choice, setChoice] = useState<string | null>(null);
  const assignee = choice ?? request.assignee_id ?? '';
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: supportKeys.all });
  };
  const assign = useMutation({
    mutationFn: (userId: string) => supportApi.assign(request.id, request.version, userId),
    onMutate: () => announce(null),
    onSuccess: async (saved) => {
      announce(t('support.notice.assigned', { name: saved.assignee_name ?? t('support.someone') }));
      setChoice(null);
      await done();
    },
  });
  const status = useMutation({
    mutationFn: (to: SupportStatus) => supportApi.changeStatus(request.id, request.version, to, to === 'declined' ? reason : ''),
    onMutate: () => announce(null),
    onSuccess: async (_, to) => {
      announce(t('support.notice.status', { status: t(`support.status.${to}`) }));
      setDeclining(false);
      setReason('');
      await done();
    },
  });
  const err = assign.error ?? status.error;
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const reasonServer = status.error instanceof ApiError ? status.error.fieldErrors.reason : undefined;
  const decline = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('support.reasonMissing'));
      return;
    }
    setReasonError(undefined);
    status.mutate('declined');
  };
  return (
    <section className="kern-stack dn-section" aria-labelledby="triage">
      <h2 className="kern-heading-medium" id="triage">
        {t('support.triage')}
      </h2>
      {stale ? (
        <Alert variant="danger" title={t('support.stale')}>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => {
              assign.reset();
              status.reset();
              void done();
            }}
          >
            <span className="kern-label">{t('support.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {err && !stale && !reasonServer ? <Alert variant="danger" title={problemMessage(t, err)} /> : null}
      {request.assignee_id !== me.id ? (
        <div className="kern-btn-wrapper">
          <button type="button" className="kern-btn kern-btn--primary" disabled={assign.isPending} onClick={() => assign.mutate(me.id)}>
            <span className="kern-label">{t('support.assignMe')}</span>
          </button>
        </div>
      ) : null}
      <form
        className="dn-filters"
        aria-label={t('support.assign')}
        onSubmit={(e) => {
          e.preventDefault();
          if (assignee && assignee !== request.assignee_id) assign.mutate(assignee);
        }}
      >
        <SelectField
          label={t('support.assignTo')}
          value={assignee}
          options={[
            ...(request.assignee_id ? [] : [{ value: '', label: t('support.chooseCoordinator') }]),
            ...(coordinators.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
            ...(request.assignee_id && !coordinators.data?.items.some((u) => u.id === request.assignee_id)
              ? [{ value: request.assignee_id, label: request.assignee_name ?? t('support.someone') }]
              : []),
          ]}
          onChange={(e) => setChoice(e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button
            type="submit"
            className="kern-btn kern-btn--secondary"
            disabled={!assignee || assignee === request.assignee_id || assign.isPending}
          >
            <span className="kern-label">{t('support.assign')}</span>
          </button>
        </div>
      </form>
      {request.next_statuses.length ? (
        <div className="kern-btn-wrapper dn-actions" role="group" aria-label={t('support.changeStatus')}>
          {request.next_statuses
            .filter((s) => s !== 'declined')
            .map((s) => (
              <button key={s} type="button" className="kern-btn kern-btn--secondary" disabled={status.isPending} onClick={() => status.mutate(s)}>
                <span className="kern-label">{t(`support.move.${s}`)}</span>
              </button>
            ))}
          {request.next_statuses.includes('declined') && !declining ? (
            <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setDeclining(true)}>
              <span className="kern-label">{t('support.move.declined')}</span>
            </button>
          ) : null}
        </div>
      ) : null}
      {declining ? (
        <form className="kern-stack" noValidate onSubmit={decline} aria-label={t('support.move.declined')}>
          <TextAreaField
            label={t('support.declineReason')}
            rows={3}
            required
            value={reason}
            error={reasonError ?? reasonServer}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={status.isPending}>
              <span className="kern-label">{t('support.declineSubmit')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setDeclining(false)}>
              <span className="kern-label">{t('action.cancel')}</span>
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function RequestView({ request }: { request: SupportRequestDetail }) {
  const t = useT();
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(
    (location.state as RequestSavedState | null)?.requestCreated === true ? t('support.notice.created') : null,
  );
  return (
    <div className="kern-stack-lg">
      <PageHeading>{request.title}</PageHeading>
      <StatusMessage message={notice} />
      <div className="kern-btn-wrapper dn-actions">
        <Link to={routes.support} className="kern-btn kern-btn--tertiary">
          <span className="kern-icon kern-icon--arrow-back" aria-hidden="true" />
          <span className="kern-label">{t('support.back')}</span>
        </Link>
      </div>
      <section className="kern-stack" aria-labelledby="request-facts">
        <h2 className="kern-heading-medium" id="request-facts">
          {t('support.facts')}
        </h2>
        <Facts request={request} />
        <Times request={request} />
        <h3 className="kern-heading-small">{t('support.field.description')}</h3>
        <p className="kern-body dn-pre-line">{request.description}</p>
      </section>
      {request.can_triage ? <Triage request={request} announce={setNotice} /> : null}
      <Conversation request={request} announce={setNotice} />
      <RequestAttachments request={request} />
    </div>
  );
}

export function RequestPage() {
  const { id = '' } = useParams();
  const request = useRequest(id);
  return <QueryState query={request}>{(r) => <RequestView request={r} />}</QueryState>;
}
