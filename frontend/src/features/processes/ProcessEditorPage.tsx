// /prozesse/neu and /prozesse/:id/bearbeiten: create or edit a register entry.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  Alert,
  ErrorSummary,
  Fieldset,
  PageHeading,
  QueryState,
  RadioField,
  SelectField,
  summaryErrors,
  TextAreaField,
  TextField,
} from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { checkValues, FIELD_ORDER, fromProcess, toBody, type ProcessValues } from './form';
import { processKeys, useEfaSolutions, useProcess, useThemenfelder, useTowns } from './queries';
import { visibilities, type Process } from './types';

export function NewProcessPage() {
  const t = useT();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('processes.new')}</PageHeading>
      <ProcessEditor process={null} />
    </div>
  );
}

export function EditProcessPage() {
  const t = useT();
  const { id = '' } = useParams();
  const process = useProcess(id);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('processes.edit')}</PageHeading>
      <QueryState query={process}>
        {(p) => (p.can_edit ? <ProcessEditor key={p.id} process={p} /> : <Alert variant="info" title={t('processes.form.readOnly')} />)}
      </QueryState>
    </div>
  );
}

const fieldId = (field: string) => `process-${field}`;

function ProcessEditor({ process }: { process: Process | null }) {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const themenfelder = useThemenfelder();
  const towns = useTowns(me.district?.id);
  const solutions = useEfaSolutions();
  const [values, setValues] = useState<ProcessValues>(() => fromProcess(process, can.worksForDistrict(me) ? null : (me.municipality?.id ?? null)));
  const [version, setVersion] = useState(process?.version ?? 0);
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof ProcessValues, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const set = <K extends keyof ProcessValues>(key: K, value: ProcessValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const save = useMutation({
    mutationFn: () => (process ? processesApi.update(process.id, version, toBody(values, true)) : processesApi.create(toBody(values))),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: processKeys.all });
      await navigate(routes.process(saved.id), { state: { processSaved: process ? 'updated' : 'created' } });
    },
  });
  const reload = useMutation({
    mutationFn: () => processesApi.get(process?.id ?? ''),
    onSuccess: (fresh) => {
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
    const local = checkValues(t, values);
    setLocalErrors(local);
    if (Object.keys(local).length === 0) save.mutate();
    else setAttempt((a) => a + 1);
  };
  const labels: Record<string, string> = {
    name: t('processes.field.name'),
    leika_key: t('processes.field.leika'),
    ozg_id: t('processes.field.ozg'),
    themenfeld_id: t('processes.field.themenfeld'),
    owner_municipality_id: t('processes.field.owner'),
    legal_basis: t('processes.field.legalBasis'),
    forms: t('processes.field.forms'),
    it_systems: t('processes.field.itSystems'),
    efa_solution_id: t('processes.field.efa'),
    visibility: t('processes.field.visibility'),
    knowledge: t('processes.field.knowledge'),
  };
  const summary = summaryErrors<string>(errors, FIELD_ORDER, fieldId, (f) => labels[f] ?? f);
  const townOptions = (towns.data?.items ?? []).filter((m) => m.kind !== 'district_administration');

  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('processes.form.label')}>
      <ErrorSummary errors={summary} attempt={attempt} />
      {stale ? (
        <Alert variant="danger" title={t('processes.stale.title')}>
          <p className="kern-body">{t('processes.stale.text')}</p>
          <button type="button" className="kern-btn kern-btn--primary" disabled={reload.isPending} onClick={() => reload.mutate()}>
            <span className="kern-label">{t('processes.stale.keep')}</span>
          </button>
        </Alert>
      ) : null}
      {reload.isSuccess && !stale ? <Alert variant="info" title={t('processes.stale.reloaded')} /> : null}
      {general ? <Alert variant="danger" title={general} /> : null}
      <TextField
        id={fieldId('name')}
        label={labels.name ?? ''}
        hint={t('processes.form.nameHint')}
        required
        value={values.name}
        error={errors.name}
        onChange={(e) => set('name', e.target.value)}
      />
      <TextField
        id={fieldId('leika_key')}
        label={labels.leika_key ?? ''}
        hint={t('processes.form.leikaHint')}
        optional
        inputMode="numeric"
        value={values.leika_key}
        error={errors.leika_key}
        onChange={(e) => set('leika_key', e.target.value)}
      />
      <TextField
        id={fieldId('ozg_id')}
        label={labels.ozg_id ?? ''}
        optional
        inputMode="numeric"
        value={values.ozg_id}
        error={errors.ozg_id}
        onChange={(e) => set('ozg_id', e.target.value)}
      />
      <SelectField
        id={fieldId('themenfeld_id')}
        label={labels.themenfeld_id ?? ''}
        value={values.themenfeld_id}
        error={errors.themenfeld_id}
        options={[
          { value: '', label: t('processes.none') },
          ...(themenfelder.data?.items ?? []).map((x) => ({ value: String(x.id), label: x.name })),
        ]}
        onChange={(e) => set('themenfeld_id', e.target.value)}
      />
      <SelectField
        id={fieldId('owner_municipality_id')}
        label={labels.owner_municipality_id ?? ''}
        hint={t('processes.form.ownerHint')}
        value={values.owner_municipality_id}
        error={errors.owner_municipality_id}
        disabled={process !== null}
        options={[{ value: '', label: t('processes.ownerDistrict') }, ...townOptions.map((m) => ({ value: m.id, label: m.name }))]}
        onChange={(e) => set('owner_municipality_id', e.target.value)}
      />
      <TextAreaField
        id={fieldId('legal_basis')}
        label={labels.legal_basis ?? ''}
        optional
        rows={3}
        value={values.legal_basis}
        error={errors.legal_basis}
        onChange={(e) => set('legal_basis', e.target.value)}
      />
      <TextAreaField
        id={fieldId('forms')}
        label={labels.forms ?? ''}
        optional
        rows={3}
        value={values.forms}
        error={errors.forms}
        onChange={(e) => set('forms', e.target.value)}
      />
      <TextField
        id={fieldId('it_systems')}
        label={labels.it_systems ?? ''}
        hint={t('processes.form.itSystemsHint')}
        optional
        value={values.it_systems}
        error={errors.it_systems}
        onChange={(e) => set('it_systems', e.target.value)}
      />
      <SelectField
        id={fieldId('efa_solution_id')}
        label={labels.efa_solution_id ?? ''}
        optional
        value={values.efa_solution_id}
        error={errors.efa_solution_id}
        options={[
          { value: '', label: t('processes.none') },
          ...(values.efa_solution_id && !(solutions.data?.items ?? []).some((s) => s.id === values.efa_solution_id)
            ? [{ value: values.efa_solution_id, label: process?.efa_solution_name ?? values.efa_solution_id }]
            : []),
          ...(solutions.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
        ]}
        onChange={(e) => set('efa_solution_id', e.target.value)}
      />
      <Fieldset id={fieldId('visibility')} legend={labels.visibility ?? ''} error={errors.visibility}>
        {visibilities.map((v) => (
          <RadioField
            key={v}
            name="visibility"
            value={v}
            label={t(`processes.visibility.${v}`)}
            hint={t(`processes.visibility.${v}.hint`)}
            checked={values.visibility === v}
            onChange={() => set('visibility', v)}
          />
        ))}
      </Fieldset>
      <TextAreaField
        id={fieldId('knowledge')}
        label={labels.knowledge ?? ''}
        hint={t('processes.form.knowledgeHint')}
        optional
        rows={10}
        value={values.knowledge}
        error={errors.knowledge}
        onChange={(e) => set('knowledge', e.target.value)}
      />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{process ? t('action.save') : t('processes.form.create')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => void navigate(process ? routes.process(process.id) : routes.processes)}>
          <span className="kern-label">{t('action.cancel')}</span>
        </button>
      </div>
    </form>
  );
}
