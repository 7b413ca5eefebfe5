// /foerderung/programme/:id/bearbeiten: catalogue editors change a programme's facts (PATCH with
// If-Match; only the changed fields are sent; on 412 the user's edits are put on the new version).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, PageHeading, QueryState, SelectField, TextAreaField, TextField, TopicCheckboxes } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useT, type MessageKey } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { fundingApi } from './api';
import { FundingNav } from './FundingNav';
import { programmeStatusLabel } from './logic';
import {
  changedBody,
  formFromProgramme,
  programmeStatuses,
  reapplyEdits,
  serverField,
  type FieldProblem,
  type ProgrammeFormField,
  type ProgrammeFormValues,
  type ProgrammeTextField,
} from './programmeForm';
import { fundingKeys, useProgramme } from './queries';
import type { ProgrammeDetail } from './types';

/** Navigation state telling the programme page that the programme was just saved. */
export interface ProgrammeSavedState {
  programmeSaved?: boolean;
}

const problemKeys: Record<FieldProblem, MessageKey> = {
  required: 'validation.required',
  nameShort: 'funding.programmeEdit.nameShort',
  rateInvalid: 'funding.programmeEdit.rateInvalid',
  amountInvalid: 'funding.programmeEdit.amountInvalid',
  cannotClear: 'funding.programmeEdit.cannotClear',
  websiteInvalid: 'funding.programmeEdit.websiteInvalid',
};

const fieldLabels: Record<ProgrammeFormField, MessageKey> = {
  name: 'funding.programmeEdit.name',
  funder: 'funding.field.funder',
  administering_body: 'funding.field.administeringBody',
  level: 'funding.field.level',
  region: 'funding.field.region',
  eligible_applicants: 'funding.field.eligible',
  funding_type: 'funding.field.fundingType',
  rate: 'funding.programmeEdit.rate',
  increased_rate: 'funding.programmeEdit.increasedRate',
  increased_rate_condition: 'funding.programmeEdit.increasedRateCondition',
  min_amount: 'funding.programmeEdit.minAmount',
  max_amount: 'funding.programmeEdit.maxAmount',
  max_amount_note: 'funding.programmeEdit.maxAmountNote',
  description: 'funding.programmeEdit.description',
  website: 'funding.programmeEdit.website',
  status: 'funding.field.status',
  topics: 'funding.programmeEdit.topics',
};

export function ProgrammeEditPage() {
  const t = useT();
  const { id = '' } = useParams();
  const programme = useProgramme(id);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('funding.programmeEdit.title')}</PageHeading>
      <FundingNav />
      <QueryState query={programme}>
        {(p) =>
          p.can_edit ? (
            <ProgrammeEditor key={p.id} programme={p} />
          ) : (
            <Alert variant="warning" title={t('funding.programmeEdit.notAllowed')}>
              <Link className="kern-link" to={routes.fundingProgramme(p.id)}>
                {t('funding.programmeEdit.back')}
              </Link>
            </Alert>
          )
        }
      </QueryState>
    </div>
  );
}

function ProgrammeEditor({ programme }: { programme: ProgrammeDetail }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [base, setBase] = useState<ProgrammeFormValues>(() => formFromProgramme(programme));
  const [values, setValues] = useState<ProgrammeFormValues>(base);
  const [version, setVersion] = useState(programme.version);
  const [localErrors, setLocalErrors] = useState<Partial<Record<ProgrammeFormField, string>>>({});
  const [merged, setMerged] = useState<ProgrammeFormField[] | null>(null);
  const [unchanged, setUnchanged] = useState(false);
  const set = (field: ProgrammeTextField, value: string) => setValues((v) => ({ ...v, [field]: value }));

  const save = useMutation({
    mutationFn: (body: Parameters<typeof fundingApi.updateProgramme>[2]) => fundingApi.updateProgramme(programme.id, version, body),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: fundingKeys.all });
      const state: ProgrammeSavedState = { programmeSaved: true };
      await navigate(routes.fundingProgramme(saved.id), { state });
    },
  });

  const reload = useMutation({
    mutationFn: () => fundingApi.programme(programme.id),
    onSuccess: (fresh) => {
      // Start from the server's version and put every field the user changed back on top.
      const server = formFromProgramme(fresh);
      const result = reapplyEdits(base, values, server);
      setBase(server);
      setValues(result.values);
      setVersion(fresh.version);
      setMerged(result.conflicts);
      save.reset();
      queryClient.setQueryData(fundingKeys.programme(fresh.id), fresh);
    },
  });

  const err = save.error;
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const serverErrors: Partial<Record<ProgrammeFormField, string>> = {};
  const unplaced: string[] = [];
  if (err instanceof ApiError) {
    const byServerName = new Map(Object.entries(serverField).map(([form, server]) => [server as string, form as ProgrammeFormField]));
    for (const [field, message] of Object.entries(err.fieldErrors)) {
      const formField = byServerName.get(field);
      if (formField) serverErrors[formField] = message;
      else unplaced.push(message);
    }
  }
  const errors = { ...serverErrors, ...localErrors };
  const hasFieldErrors = Object.keys(serverErrors).length > 0;
  const general = err && !stale && !hasFieldErrors ? (unplaced.length ? unplaced.join(' ') : problemMessage(t, err)) : null;

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const { body, problems } = changedBody(base, values);
    const local: Partial<Record<ProgrammeFormField, string>> = {};
    for (const [field, problem] of Object.entries(problems) as [ProgrammeFormField, FieldProblem][]) local[field] = t(problemKeys[problem]);
    setLocalErrors(local);
    if (Object.keys(local).length) return;
    if (Object.keys(body).length === 0) {
      setUnchanged(true);
      return;
    }
    setUnchanged(false);
    setMerged(null);
    save.mutate(body);
  };

  const text = (field: ProgrammeTextField, extra: { hint?: string; required?: boolean; inputMode?: 'decimal' } = {}) => (
    <TextField
      label={t(fieldLabels[field])}
      name={field}
      hint={extra.hint}
      required={extra.required}
      inputMode={extra.inputMode}
      value={values[field]}
      error={errors[field]}
      onChange={(e) => set(field, e.target.value)}
    />
  );
  const area = (field: ProgrammeTextField, rows: number) => (
    <TextAreaField
      label={t(fieldLabels[field])}
      name={field}
      rows={rows}
      value={values[field]}
      error={errors[field]}
      onChange={(e) => set(field, e.target.value)}
    />
  );
  const conflictNames = (merged ?? []).map((f) => t(fieldLabels[f])).join(', ');
  const statusOptions: { value: string; label: string }[] = programmeStatuses.map((s) => ({ value: s, label: programmeStatusLabel(t, s) }));
  if (!statusOptions.some((o) => o.value === values.status)) statusOptions.unshift({ value: values.status, label: values.status });

  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('funding.programmeEdit.formLabel', { name: programme.name })}>
      <p className="kern-body">{t('funding.programmeEdit.intro')}</p>
      {stale ? (
        <Alert variant="danger" title={t('funding.programmeEdit.stale.title')}>
          <p className="kern-body">{t('funding.programmeEdit.stale.text')}</p>
          {reload.isError ? <p className="kern-body">{problemMessage(t, reload.error)}</p> : null}
          <button type="button" className="kern-btn kern-btn--primary" disabled={reload.isPending} onClick={() => reload.mutate()}>
            <span className="kern-label">{t('funding.programmeEdit.stale.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {merged !== null ? (
        <Alert variant="info" title={t('funding.programmeEdit.stale.merged')}>
          {merged.length ? <p className="kern-body">{t('funding.programmeEdit.stale.conflicts', { fields: conflictNames })}</p> : null}
        </Alert>
      ) : null}
      {general ? <Alert variant="danger" title={general} /> : null}
      {err && hasFieldErrors ? <Alert variant="danger" title={t('funding.programmeEdit.notSaved')} /> : null}
      {unchanged ? <Alert variant="info" title={t('funding.programmeEdit.unchanged')} /> : null}
      {text('name', { required: true })}
      <SelectField
        label={t('funding.field.status')}
        name="status"
        value={values.status}
        error={errors.status}
        options={statusOptions}
        onChange={(e) => set('status', e.target.value)}
      />
      {text('funder')}
      {text('administering_body')}
      {text('level')}
      {text('region')}
      {area('eligible_applicants', 3)}
      {text('funding_type')}
      {text('rate', { hint: t('funding.programmeEdit.rateHint'), inputMode: 'decimal' })}
      {text('increased_rate', { hint: t('funding.programmeEdit.rateHint'), inputMode: 'decimal' })}
      {area('increased_rate_condition', 2)}
      {text('min_amount', { hint: t('funding.programmeEdit.amountHint'), inputMode: 'decimal' })}
      {text('max_amount', { hint: t('funding.programmeEdit.amountHint'), inputMode: 'decimal' })}
      {area('max_amount_note', 2)}
      {area('description', 6)}
      {text('website', { hint: t('funding.programmeEdit.websiteHint') })}
      <TopicCheckboxes
        legend={t('funding.programmeEdit.topics')}
        hint={t('funding.programmeEdit.topicsHint')}
        error={errors.topics}
        selected={values.topics}
        onChange={(topics) => setValues((v) => ({ ...v, topics }))}
      />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('funding.programmeEdit.save')}</span>
        </button>
        <Link className="kern-btn kern-btn--tertiary" to={routes.fundingProgramme(programme.id)}>
          <span className="kern-label">{t('action.cancel')}</span>
        </Link>
      </div>
    </form>
  );
}
