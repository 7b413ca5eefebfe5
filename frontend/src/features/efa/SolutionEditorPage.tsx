// /efa/neu and /efa/:id/bearbeiten: propose (officers: a draft) or edit an EfA solution.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, ErrorSummary, OzgPicker, PageHeading, QueryState, SelectField, summaryErrors, TextAreaField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { efaApi } from './api';
import { efaKeys, useSolution, useThemenfelder } from './queries';
import type { SolutionSavedState } from './SolutionPage';
import {
  leadStates,
  reuseModels,
  solutionStatuses,
  type EfaSolution,
  type OzgRef,
  type ReuseModel,
  type SolutionInput,
  type SolutionStatus,
} from './types';

interface Values {
  name: string;
  description: string;
  themenfeld_id: string;
  status: SolutionStatus;
  lead_state: string;
  lead_body: string;
  it_provider: string;
  reuse_model: ReuseModel;
  reuse_conditions: string;
  requirements: string;
  website: string;
  contact: string;
  ozg: OzgRef[];
}

function fromSolution(s: EfaSolution | null): Values {
  return {
    name: s?.name ?? '',
    description: s?.description ?? '',
    themenfeld_id: s?.themenfeld_id != null ? String(s.themenfeld_id) : '',
    status: s?.status ?? 'available',
    lead_state: s?.lead_state ?? '',
    lead_body: s?.lead_body ?? '',
    it_provider: s?.it_provider ?? '',
    reuse_model: s?.reuse_model ?? 'other',
    reuse_conditions: s?.reuse_conditions ?? '',
    requirements: s?.requirements.join(', ') ?? '',
    website: s?.website ?? '',
    contact: s?.contact ?? '',
    ozg: s?.ozg_services ?? [],
  };
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

function toBody(v: Values): SolutionInput {
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    themenfeld_id: v.themenfeld_id ? Number(v.themenfeld_id) : null,
    status: v.status,
    lead_state: orNull(v.lead_state),
    lead_body: orNull(v.lead_body),
    it_provider: orNull(v.it_provider),
    reuse_model: v.reuse_model,
    reuse_conditions: v.reuse_conditions.trim(),
    requirements: v.requirements
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    website: orNull(v.website),
    contact: orNull(v.contact),
    ozg_ids: v.ozg.map((o) => o.ozg_id),
  };
}

export function NewSolutionPage() {
  const t = useT();
  const me = useMe();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{can.editSolutions(me) ? t('efa.new') : t('efa.propose')}</PageHeading>
      {!can.editSolutions(me) ? <p className="kern-body">{t('efa.proposeIntro')}</p> : null}
      <SolutionEditor solution={null} />
    </div>
  );
}

export function EditSolutionPage() {
  const t = useT();
  const { id = '' } = useParams();
  const solution = useSolution(id);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('efa.edit')}</PageHeading>
      <QueryState query={solution}>{(s) => <SolutionEditor key={s.id} solution={s} />}</QueryState>
    </div>
  );
}

/** The fields in the order of the form (error summary). */
const FIELD_ORDER = [
  'name',
  'description',
  'themenfeld_id',
  'status',
  'lead_state',
  'lead_body',
  'it_provider',
  'reuse_model',
  'reuse_conditions',
  'requirements',
  'website',
  'contact',
  'ozg_ids',
] as const;
const fieldId = (field: string) => `efa-${field}`;

function SolutionEditor({ solution }: { solution: EfaSolution | null }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const themenfelder = useThemenfelder();
  const [values, setValues] = useState<Values>(() => fromSolution(solution));
  const [version, setVersion] = useState(solution?.version ?? 0);
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof Values, string>>>({});
  /** Counts failed submits: the error summary takes focus after each. */
  const [attempt, setAttempt] = useState(0);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const save = useMutation({
    mutationFn: () => (solution ? efaApi.update(solution.id, version, toBody(values)) : efaApi.create(toBody(values))),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: efaKeys.all });
      const state: SolutionSavedState = { solutionSaved: solution ? 'updated' : 'created' };
      await navigate(routes.efaSolution(saved.id), { state });
    },
  });
  const reload = useMutation({
    mutationFn: () => efaApi.get(solution?.id ?? ''),
    onSuccess: (fresh) => {
      // Keep what the user typed; take the server's version so the next save goes through.
      setVersion(fresh.version);
      save.reset();
    },
  });

  const err = save.error;
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const server = err instanceof ApiError ? err.fieldErrors : {};
  const errors: Partial<Record<string, string>> = { ...server, ...localErrors };
  const general = err && !stale && Object.keys(server).length === 0 ? problemMessage(t, err) : null;

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const local: Partial<Record<keyof Values, string>> = {};
    if (!values.name.trim()) local.name = t('validation.required');
    if (!values.description.trim()) local.description = t('validation.required');
    if (values.website.trim() && !/^https?:\/\/\S+$/.test(values.website.trim())) local.website = t('efa.websiteInvalid');
    setLocalErrors(local);
    if (Object.keys(local).length === 0) save.mutate();
    else setAttempt((a) => a + 1);
  };
  const labels: Record<string, string> = {
    name: t('efa.field.name'),
    description: t('efa.field.description'),
    themenfeld_id: t('efa.field.themenfeld'),
    status: t('efa.field.status'),
    lead_state: t('efa.field.leadState'),
    lead_body: t('efa.field.leadBody'),
    it_provider: t('efa.field.itProvider'),
    reuse_model: t('efa.field.reuseModel'),
    reuse_conditions: t('efa.field.reuseConditions'),
    requirements: t('efa.field.requirements'),
    website: t('efa.field.website'),
    contact: t('efa.field.contact'),
    ozg_ids: t('ozgPicker.legend'),
  };
  const summary = summaryErrors<string>(errors, FIELD_ORDER, fieldId, (f) => labels[f] ?? f);

  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('efa.form.label')}>
      <ErrorSummary errors={summary} attempt={attempt} />
      {stale ? (
        <Alert variant="danger" title={t('efa.stale.title')}>
          <p className="kern-body">{t('efa.stale.text')}</p>
          <button type="button" className="kern-btn kern-btn--primary" disabled={reload.isPending} onClick={() => reload.mutate()}>
            <span className="kern-label">{t('efa.stale.keep')}</span>
          </button>
        </Alert>
      ) : null}
      {reload.isSuccess && !stale ? <Alert variant="info" title={t('efa.stale.reloaded')} /> : null}
      {general ? <Alert variant="danger" title={general} /> : null}
      <TextField
        id={fieldId('name')}
        label={t('efa.field.name')}
        required
        value={values.name}
        error={errors.name}
        onChange={(e) => set('name', e.target.value)}
      />
      <TextAreaField
        id={fieldId('description')}
        label={t('efa.field.description')}
        required
        rows={5}
        value={values.description}
        error={errors.description}
        onChange={(e) => set('description', e.target.value)}
      />
      <SelectField
        id={fieldId('themenfeld_id')}
        label={t('efa.field.themenfeld')}
        value={values.themenfeld_id}
        error={errors.themenfeld_id}
        options={[
          { value: '', label: t('efa.none') },
          ...(themenfelder.data?.items ?? []).map((x) => ({ value: String(x.id), label: x.name })),
        ]}
        onChange={(e) => set('themenfeld_id', e.target.value)}
      />
      <SelectField
        id={fieldId('status')}
        label={t('efa.field.status')}
        value={values.status}
        error={errors.status}
        options={solutionStatuses.map((s) => ({ value: s, label: t(`efa.solutionStatus.${s}`) }))}
        onChange={(e) => set('status', e.target.value as SolutionStatus)}
      />
      <SelectField
        id={fieldId('lead_state')}
        label={t('efa.field.leadState')}
        value={values.lead_state}
        error={errors.lead_state}
        options={[
          { value: '', label: t('efa.none') },
          ...(values.lead_state && !leadStates.includes(values.lead_state) ? [values.lead_state] : []).map((s) => ({ value: s, label: s })),
          ...leadStates.map((s) => ({ value: s, label: s })),
        ]}
        onChange={(e) => set('lead_state', e.target.value)}
      />
      <TextField
        id={fieldId('lead_body')}
        label={t('efa.field.leadBody')}
        optional
        value={values.lead_body}
        error={errors.lead_body}
        onChange={(e) => set('lead_body', e.target.value)}
      />
      <TextField
        id={fieldId('it_provider')}
        label={t('efa.field.itProvider')}
        optional
        value={values.it_provider}
        error={errors.it_provider}
        onChange={(e) => set('it_provider', e.target.value)}
      />
      <SelectField
        id={fieldId('reuse_model')}
        label={t('efa.field.reuseModel')}
        value={values.reuse_model}
        error={errors.reuse_model}
        options={reuseModels.map((m) => ({ value: m, label: t(`efa.reuseModel.${m}`) }))}
        onChange={(e) => set('reuse_model', e.target.value as ReuseModel)}
      />
      <TextAreaField
        id={fieldId('reuse_conditions')}
        label={t('efa.field.reuseConditions')}
        optional
        rows={3}
        value={values.reuse_conditions}
        error={errors.reuse_conditions}
        onChange={(e) => set('reuse_conditions', e.target.value)}
      />
      <TextField
        id={fieldId('requirements')}
        label={t('efa.field.requirements')}
        hint={t('efa.requirementsHint')}
        optional
        value={values.requirements}
        error={errors.requirements}
        onChange={(e) => set('requirements', e.target.value)}
      />
      <TextField
        id={fieldId('website')}
        label={t('efa.field.website')}
        type="url"
        optional
        value={values.website}
        error={errors.website}
        onChange={(e) => set('website', e.target.value)}
      />
      <TextField
        id={fieldId('contact')}
        label={t('efa.field.contact')}
        optional
        value={values.contact}
        error={errors.contact}
        onChange={(e) => set('contact', e.target.value)}
      />
      <div id={fieldId('ozg_ids')}>
        <OzgPicker value={values.ozg} onChange={(ozg) => set('ozg', ozg)} hint={t('efa.ozgPicker.hint')} error={errors.ozg_ids} />
      </div>
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{solution ? t('action.save') : t('efa.form.create')}</span>
        </button>
        <button
          type="button"
          className="kern-btn kern-btn--tertiary"
          onClick={() => void navigate(solution ? routes.efaSolution(solution.id) : routes.efa)}
        >
          <span className="kern-label">{t('action.cancel')}</span>
        </button>
      </div>
    </form>
  );
}
