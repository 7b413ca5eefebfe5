// The caller's own town on a solution page: "Wir sind interessiert", the adoption's status
// (If-Match with its version; declining asks for a reason) and the experience report form.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, Fieldset, RadioField, TextAreaField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { efaApi } from './api';
import { AdoptionBadge } from './Badges';
import { efaKeys } from './queries';
import { RATINGS, REPORT_MAX, parseRating, validateReport, type ReportErrors, type ReportValues } from './report';
import { adoptionLabel, canReport } from './status';
import type { Adoption, AdoptionStatus, SolutionDetail } from './types';

export function OwnAdoption({ solution }: { solution: SolutionDetail }) {
  const t = useT();
  const me = useMe();
  const town = me.municipality;
  if (!town || !can.adopt(me)) return null;
  const own = solution.adoptions.find((a) => a.municipality_id === town.id);
  return (
    <section className="kern-stack dn-section" aria-labelledby="own-adoption">
      <h2 className="kern-heading-medium" id="own-adoption">
        {t('efa.own.title', { town: town.name })}
      </h2>
      {own ? (
        <>
          <p className="kern-body">
            {t('efa.own.current')} <AdoptionBadge status={own.status} srPrefix={false} />
          </p>
          {own.decline_reason ? (
            <p className="kern-body">
              {t('efa.own.reason')}: {own.decline_reason}
            </p>
          ) : null}
          {own.can_edit ? <AdoptionStatusControl solutionId={solution.id} adoption={own} /> : null}
          {canReport(own.status) && solution.published ? <ReportForm solutionId={solution.id} /> : null}
        </>
      ) : solution.published ? (
        <InterestButton solutionId={solution.id} />
      ) : (
        <p className="kern-body">{t('efa.own.notPublished')}</p>
      )}
    </section>
  );
}

function InterestButton({ solutionId }: { solutionId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const adopt = useMutation({
    mutationFn: () => efaApi.adopt(solutionId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: efaKeys.all });
    },
  });
  return (
    <>
      <p className="kern-body">{t('efa.own.none')}</p>
      {adopt.isError ? <Alert variant="danger" title={problemMessage(t, adopt.error)} /> : null}
      <div className="kern-btn-wrapper">
        <button type="button" className="kern-btn kern-btn--primary" disabled={adopt.isPending} onClick={() => adopt.mutate()}>
          <span className="kern-label">{t('efa.own.interested')}</span>
        </button>
      </div>
    </>
  );
}

export function AdoptionStatusControl({ solutionId, adoption }: { solutionId: string; adoption: Adoption }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const change = useMutation({
    mutationFn: (status: AdoptionStatus) => efaApi.changeAdoptionStatus(adoption.id, adoption.version, status, reason),
    onSuccess: async () => {
      setDeclining(false);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: efaKeys.all });
    },
  });
  const err = change.error;
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const fields = err instanceof ApiError ? err.fieldErrors : {};
  const options = adoption.next_statuses;
  if (!options.length) return null;

  const decline = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('efa.own.reasonMissing'));
      return;
    }
    setReasonError(undefined);
    change.mutate('declined');
  };

  return (
    <div className="kern-stack">
      <h3 className="kern-heading-small">{t('efa.own.changeStatus')}</h3>
      {stale ? (
        <Alert variant="danger" title={t('efa.stale.title')}>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => {
              change.reset();
              void queryClient.invalidateQueries({ queryKey: efaKeys.solution(solutionId) });
            }}
          >
            <span className="kern-label">{t('efa.stale.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {err && !stale && !fields.reason ? <Alert variant="danger" title={problemMessage(t, err)} /> : null}
      {change.isSuccess ? <Alert variant="success" title={t('efa.own.changed')} /> : null}
      <div className="kern-btn-wrapper dn-actions">
        {options
          .filter((s) => s !== 'declined')
          .map((s) => (
            <button
              key={s}
              type="button"
              className="kern-btn kern-btn--secondary"
              disabled={change.isPending}
              onClick={() => change.mutate(s)}
            >
              <span className="kern-label">{t('efa.own.moveTo', { status: adoptionLabel(t, s) })}</span>
            </button>
          ))}
        {options.includes('declined') && !declining ? (
          <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setDeclining(true)}>
            <span className="kern-label">{t('efa.own.decline')}</span>
          </button>
        ) : null}
      </div>
      {declining ? (
        <form className="kern-stack" noValidate onSubmit={decline} aria-label={t('efa.own.decline')}>
          <TextAreaField
            label={t('efa.own.reason')}
            rows={3}
            required
            value={reason}
            error={reasonError ?? fields.reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={change.isPending}>
              <span className="kern-label">{t('efa.own.declineSubmit')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setDeclining(false)}>
              <span className="kern-label">{t('action.cancel')}</span>
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

export function ReportForm({ solutionId }: { solutionId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ReportValues>({ body: '', rating: '' });
  const [errors, setErrors] = useState<ReportErrors>({});
  const send = useMutation({
    mutationFn: () => efaApi.report(solutionId, values.body.trim(), parseRating(values.rating) ?? 0),
    onSuccess: async () => {
      setValues({ body: '', rating: '' });
      await queryClient.invalidateQueries({ queryKey: efaKeys.solution(solutionId) });
    },
  });
  const server = send.error instanceof ApiError ? send.error.fieldErrors : {};
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const found = validateReport(values);
    setErrors(found);
    if (Object.keys(found).length === 0) send.mutate();
  };
  return (
    <form className="kern-stack" noValidate onSubmit={submit} aria-labelledby="report-form">
      <h3 className="kern-heading-small" id="report-form">
        {t('efa.report.formTitle')}
      </h3>
      {send.isSuccess ? <Alert variant="success" title={t('efa.report.sent')} /> : null}
      {send.isError && !server.body && !server.rating ? <Alert variant="danger" title={problemMessage(t, send.error)} /> : null}
      <TextAreaField
        label={t('efa.report.body')}
        rows={5}
        maxLength={REPORT_MAX}
        required
        value={values.body}
        error={errors.body ? t(errors.body, { max: REPORT_MAX }) : server.body}
        onChange={(e) => setValues((v) => ({ ...v, body: e.target.value }))}
      />
      <Fieldset
        legend={t('efa.report.rating')}
        hint={t('efa.report.ratingHint')}
        error={errors.rating ? t(errors.rating) : server.rating}
        horizontal
      >
        {RATINGS.map((r) => (
          <RadioField
            key={r}
            name="rating"
            value={String(r)}
            label={t('efa.report.ratingOption', { rating: r })}
            checked={values.rating === String(r)}
            onChange={() => setValues((v) => ({ ...v, rating: String(r) }))}
          />
        ))}
      </Fieldset>
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={send.isPending}>
          <span className="kern-label">{t('efa.report.submit')}</span>
        </button>
      </div>
    </form>
  );
}
