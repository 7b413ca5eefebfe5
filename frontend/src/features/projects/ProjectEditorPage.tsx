// /projekte/neu and /projekte/:id/bearbeiten: the editor with the "Wer baut das schon?" panel.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  Alert,
  CheckboxField,
  ErrorSummary,
  Fieldset,
  OzgPicker,
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
import { useT, type MessageKey } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { projectsApi } from './api';
import type { ProjectSavedState } from './ProjectPage';
import {
  emptyForm,
  formFromProject,
  formToBody,
  reapplyEdits,
  SUMMARY_MAX,
  type FormField,
  type ProjectFormValues,
} from './form';
import { parseEuroToCents } from '@/lib/money';
import { projectKeys, useDebounced, useProject, useTopics, useTowns } from './queries';
import { SimilarList } from './SimilarList';
import { TagsInput } from './TagsInput';
import { visibilities, type Project, type ProjectStatus } from './types';

/** A new project may start at any of these (not paused or cancelled). */
const startStatuses: ProjectStatus[] = ['idea', 'draft', 'planned', 'in_progress', 'live'];

/** The fields an error can name, top to bottom as the form shows them. */
type SummaryField = FormField | 'municipality_id' | 'status';
const FIELD_ORDER: readonly SummaryField[] = [
  'municipality_id',
  'title',
  'summary',
  'description',
  'status',
  'visibility',
  'topics',
  'tags',
  'ozg',
  'planned_start',
  'planned_end',
  'budget',
  'contact_name',
  'contact_email',
];
/** The id of a field's control, for the error summary's links. */
const fieldId = (field: SummaryField) => `project-${field}`;

/** Server field names (JSON) → editor fields. */
const serverField: Record<string, FormField> = {
  ozg_ids: 'ozg',
  budget_cents: 'budget',
};

export function NewProjectPage() {
  const t = useT();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('projects.newTitle')}</PageHeading>
      <ProjectEditor project={null} />
    </div>
  );
}

export function EditProjectPage() {
  const t = useT();
  const { id = '' } = useParams();
  const project = useProject(id);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('projects.editTitle')}</PageHeading>
      <QueryState query={project}>{(p) => <ProjectEditor key={p.id} project={p} />}</QueryState>
    </div>
  );
}

function SimilarPanel({ values, excludeId }: { values: ProjectFormValues; excludeId?: string }) {
  const t = useT();
  const topics = useTopics();
  const input = useDebounced(
    {
      title: values.title.trim(),
      summary: values.summary.trim(),
      ozg_ids: values.ozg.map((o) => o.ozg_id),
      topics: values.topics,
    },
    400,
  );
  const enough = input.title.length >= 3 || input.summary.length >= 3;
  const similar = useQuery({
    queryKey: ['projects', 'similar', input, excludeId ?? null],
    queryFn: () => projectsApi.similarTo({ ...input, ...(excludeId ? { exclude_id: excludeId } : {}) }),
    enabled: enough,
    placeholderData: keepPreviousData,
  });
  const processes = useQuery({
    queryKey: ['processes', 'similar', input],
    queryFn: () => projectsApi.similarProcesses(input),
    enabled: enough,
    placeholderData: keepPreviousData,
  });
  const ozgNames = new Map(values.ozg.map((o) => [o.ozg_id, o.name]));
  const items = enough ? (similar.data?.items ?? []) : [];
  const processItems = enough ? (processes.data?.items ?? []) : [];
  return (
    <aside className="dn-similar" aria-labelledby="similar-heading">
      <h2 className="kern-heading-medium" id="similar-heading">
        {t('projects.similar.title')}
      </h2>
      <div aria-live="polite" data-testid="similar-panel">
        {!enough ? <p className="kern-body">{t('projects.similar.hint')}</p> : null}
        {enough && similar.isSuccess && items.length === 0 ? (
          <p className="kern-body">{t('projects.similar.none')}</p>
        ) : null}
        {similar.isError ? <p className="kern-body">{problemMessage(t, similar.error)}</p> : null}
        {items.length ? (
          <>
            <p className="kern-body">{t(items.length === 1 ? 'projects.similar.found.one' : 'projects.similar.found', { count: items.length })}</p>
            <SimilarList items={items} topics={topics.data?.items ?? []} ozgNames={ozgNames} newTab />
          </>
        ) : null}
        {processItems.length ? (
          <section aria-labelledby="similar-processes-heading" data-testid="similar-processes">
            <h3 className="kern-heading-small" id="similar-processes-heading">
              {t('projects.similar.processes.title')}
            </h3>
            <p className="kern-body">{t('projects.similar.processes.intro')}</p>
            <ul className="kern-list">
              {processItems.map((h) => (
                <li key={h.process.id}>
                  <Link to={routes.process(h.process.id)} target="_blank" rel="noopener noreferrer" className="kern-link">
                    {h.process.name}
                  </Link>
                  {h.process.owner ? <span className="kern-body"> – {h.process.owner.name}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </aside>
  );
}

function ProjectEditor({ project }: { project: Project | null }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const topics = useTopics();
  const [base, setBase] = useState<ProjectFormValues>(() => (project ? formFromProject(project) : emptyForm));
  const [values, setValues] = useState<ProjectFormValues>(base);
  const [version, setVersion] = useState(project?.version ?? 0);
  const [localErrors, setLocalErrors] = useState<Partial<Record<FormField, string>>>({});
  const [merged, setMerged] = useState<FormField[] | null>(null);
  const me = useMe();
  const choosesTown = !project && can.worksForDistrict(me);
  const towns = useTowns();
  const [townId, setTownId] = useState(me.municipality?.id ?? '');
  const [startStatus, setStartStatus] = useState<ProjectStatus>('idea');
  /** Counts failed submits: the error summary takes focus after each. */
  const [attempt, setAttempt] = useState(0);

  const set = <F extends FormField>(field: F, value: ProjectFormValues[F]) => {
    setValues((v) => ({ ...v, [field]: value }));
  };

  const save = useMutation({
    mutationFn: async (v: ProjectFormValues) => {
      const body = formToBody(v);
      if (project) return projectsApi.update(project.id, version, body);
      return projectsApi.create({
        ...body,
        status: startStatus,
        ...(choosesTown && townId ? { municipality_id: townId } : {}),
      });
    },
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async (saved) => {
      queryClient.setQueryData(projectKeys.detail(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
      const state: ProjectSavedState = { projectSaved: project ? 'updated' : 'created' };
      await navigate(routes.project(saved.id), { state });
    },
  });

  const reload = useMutation({
    mutationFn: () => projectsApi.get(project?.id ?? ''),
    onSuccess: (fresh) => {
      const server = formFromProject(fresh);
      const result = reapplyEdits(base, values, server);
      setBase(server);
      setValues(result.values);
      setVersion(fresh.version);
      setMerged(result.conflicts);
      save.reset();
      queryClient.setQueryData(projectKeys.detail(fresh.id), fresh);
    },
  });

  const err = save.error;
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const serverErrors: Partial<Record<FormField, string>> = {};
  if (err instanceof ApiError) {
    for (const [field, message] of Object.entries(err.fieldErrors)) {
      serverErrors[serverField[field] ?? (field as FormField)] = message;
    }
  }
  const errors = { ...serverErrors, ...localErrors };
  const townError = err instanceof ApiError ? err.fieldErrors.municipality_id : undefined;
  const statusError = err instanceof ApiError ? err.fieldErrors.status : undefined;
  const general =
    err && !stale && Object.keys(serverErrors).length === 0 && !townError && !statusError ? problemMessage(t, err) : null;

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const local: Partial<Record<FormField, string>> = {};
    if (!values.title.trim()) local.title = t('validation.required');
    if (!values.summary.trim()) local.summary = t('validation.required');
    if (values.summary.length > SUMMARY_MAX) local.summary = t('projects.summary.tooLong', { max: SUMMARY_MAX });
    if (Number.isNaN(parseEuroToCents(values.budget))) local.budget = t('projects.budget.invalid');
    if (values.planned_start && values.planned_end && values.planned_end < values.planned_start) {
      local.planned_end = t('projects.dates.order');
    }
    setLocalErrors(local);
    if (Object.keys(local).length) {
      setAttempt((a) => a + 1);
      return;
    }
    setMerged(null);
    save.mutate(values);
  };

  const summary = summaryErrors<SummaryField>(
    { ...errors, municipality_id: townError, status: statusError },
    FIELD_ORDER,
    fieldId,
    (f) =>
      f === 'municipality_id'
        ? t('field.municipality')
        : f === 'status'
          ? t('projects.form.startStatus')
          : t(`projects.form.${f}`),
  );
  const conflictNames = (merged ?? []).map((f) => t(`projects.form.${f}` as MessageKey)).join(', ');

  return (
    <div className="dn-editor">
      <form className="kern-stack dn-editor__form" noValidate onSubmit={submit} aria-label={t('projects.form.label')}>
        <ErrorSummary errors={summary} attempt={attempt} />
        {stale ? (
          <Alert variant="danger" title={t('projects.stale.title')}>
            <p className="kern-body">{t('projects.stale.text')}</p>
            {reload.isError ? <p className="kern-body">{problemMessage(t, reload.error)}</p> : null}
            <button
              type="button"
              className="kern-btn kern-btn--primary"
              disabled={reload.isPending}
              onClick={() => reload.mutate()}
            >
              <span className="kern-label">{t('projects.stale.reload')}</span>
            </button>
          </Alert>
        ) : null}
        {merged !== null ? (
          <Alert variant="info" title={t('projects.stale.merged')}>
            {merged.length ? (
              <p className="kern-body">{t('projects.stale.conflicts', { fields: conflictNames })}</p>
            ) : null}
          </Alert>
        ) : null}
        {general ? <Alert variant="danger" title={general} /> : null}
        {choosesTown ? (
          <SelectField
            label={t('field.municipality')}
            id={fieldId('municipality_id')}
          name="municipality_id"
            value={townId}
            error={townError}
            options={[
              { value: '', label: t('projects.partners.chooseTown') },
              ...(towns.data?.items ?? []).map((m) => ({ value: m.id, label: m.name })),
            ]}
            onChange={(e) => setTownId(e.target.value)}
          />
        ) : null}
        <TextField
          label={t('projects.form.title')}
          id={fieldId('title')}
          name="title"
          required
          value={values.title}
          error={errors.title}
          onChange={(e) => set('title', e.target.value)}
        />
        <TextAreaField
          label={t('projects.form.summary')}
          id={fieldId('summary')}
          name="summary"
          rows={3}
          maxLength={SUMMARY_MAX}
          required
          hint={t('projects.summary.counter', { count: values.summary.length, max: SUMMARY_MAX })}
          value={values.summary}
          error={errors.summary}
          onChange={(e) => set('summary', e.target.value)}
        />
        <TextAreaField
          label={t('projects.form.description')}
          id={fieldId('description')}
          name="description"
          rows={10}
          hint={t('projects.description.hint')}
          optional
          value={values.description}
          error={errors.description}
          onChange={(e) => set('description', e.target.value)}
        />
        {!project ? (
          <SelectField
            label={t('projects.form.startStatus')}
            id={fieldId('status')}
          name="status"
            value={startStatus}
            error={statusError}
            options={startStatuses.map((x) => ({ value: x, label: t(`projects.status.${x}`) }))}
            onChange={(e) => setStartStatus(e.target.value as ProjectStatus)}
          />
        ) : null}
        <Fieldset id={fieldId('visibility')} legend={t('projects.form.visibility')} error={errors.visibility}>
          {visibilities.map((v) => (
            <RadioField
              key={v}
              name="visibility"
              value={v}
              label={t(`projects.visibility.${v}`)}
              hint={t(`projects.visibility.${v}.hint`)}
              checked={values.visibility === v}
              onChange={() => set('visibility', v)}
            />
          ))}
        </Fieldset>
        <Fieldset id={fieldId('topics')} legend={t('projects.form.topics')} error={errors.topics}>
          {(topics.data?.items ?? []).map((topic) => (
            <CheckboxField
              key={topic.id}
              label={topic.name}
              checked={values.topics.includes(topic.id)}
              onChange={(e) =>
                set(
                  'topics',
                  e.target.checked ? [...values.topics, topic.id] : values.topics.filter((x) => x !== topic.id),
                )
              }
            />
          ))}
          {topics.isError ? <p className="kern-body">{problemMessage(t, topics.error)}</p> : null}
        </Fieldset>
        <div id={fieldId('tags')}>
          <TagsInput value={values.tags} onChange={(tags) => set('tags', tags)} error={errors.tags} />
        </div>
        <div id={fieldId('ozg')}>
          <OzgPicker value={values.ozg} onChange={(ozg) => set('ozg', ozg)} hint={t('projects.ozg.hint')} error={errors.ozg} />
        </div>
        <div className="dn-filters">
          <TextField
            label={t('projects.form.planned_start')}
            type="date"
            id={fieldId('planned_start')}
          name="planned_start"
            value={values.planned_start}
            error={errors.planned_start}
            onChange={(e) => set('planned_start', e.target.value)}
          />
          <TextField
            label={t('projects.form.planned_end')}
            type="date"
            id={fieldId('planned_end')}
          name="planned_end"
            value={values.planned_end}
            error={errors.planned_end}
            onChange={(e) => set('planned_end', e.target.value)}
          />
        </div>
        <TextField
          label={t('projects.form.budget')}
          id={fieldId('budget')}
          name="budget"
          inputMode="decimal"
          hint={t('projects.budget.hint')}
          optional
          value={values.budget}
          error={errors.budget}
          onChange={(e) => set('budget', e.target.value)}
        />
        <TextField
          label={t('projects.form.contact_name')}
          id={fieldId('contact_name')}
          name="contact_name"
          autoComplete="name"
          value={values.contact_name}
          error={errors.contact_name}
          onChange={(e) => set('contact_name', e.target.value)}
        />
        <TextField
          label={t('projects.form.contact_email')}
          id={fieldId('contact_email')}
          name="contact_email"
          type="email"
          autoComplete="email"
          value={values.contact_email}
          error={errors.contact_email}
          onChange={(e) => set('contact_email', e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
            <span className="kern-label">{project ? t('action.save') : t('projects.create')}</span>
          </button>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => void navigate(project ? routes.project(project.id) : routes.projects)}
          >
            <span className="kern-label">{t('action.cancel')}</span>
          </button>
        </div>
      </form>
      <SimilarPanel values={values} excludeId={project?.id} />
    </div>
  );
}
