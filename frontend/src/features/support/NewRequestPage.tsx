// /unterstuetzung/neu: a town asks the district for help, optionally about one of its funding
// applications (preselected by ?antrag=<id> from the application's page). Coordinators open the
// request on behalf of a town of their district (preselected by ?kommune=<id>); then the project and
// application selects offer only that town's.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, ErrorSummary, PageHeading, SelectField, summaryErrors, TextAreaField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { useI18n } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { supportApi } from './api';
import { applicationFromSearch, applicationOptions, chosenApplication } from './applicationChoice';
import { supportKeys, useApplicationChoices, useDistrictTowns, useRequestProjects } from './queries';
import type { RequestSavedState } from './RequestPage';
import { choosesTown, chosenTown, townFromSearch, townOptions } from './townChoice';
import { changeTown } from './townScope';
import { categories, urgencies, type Category, type Urgency } from './types';

interface Values {
  category: Category | '';
  title: string;
  description: string;
  urgency: Urgency;
  wished_date: string;
  project_id: string;
  application_id: string;
  municipality_id: string;
}

/** The fields in the order of the form (error summary). */
const FIELD_ORDER = ['municipality_id', 'category', 'title', 'description', 'urgency', 'wished_date', 'project_id', 'application_id'] as const;
const fieldId = (field: string) => `support-${field}`;

export function NewRequestPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const me = useMe();
  const withTown = choosesTown(me);
  const towns = useDistrictTowns(me.district?.id, withTown);
  const [values, setValues] = useState<Values>(() => {
    const application_id = applicationFromSearch(params);
    // Coming from an application's page, the request is most likely about that application.
    const category: Category | '' = application_id ? 'funding_application' : '';
    const municipality_id = townFromSearch(params);
    return { category, title: '', description: '', urgency: 'normal', wished_date: '', project_id: '', application_id, municipality_id };
  });
  const townId = withTown ? chosenTown(values.municipality_id, towns.data?.items) : '';
  const projects = useRequestProjects(withTown, townId);
  // Only the applications the request's town leads or shares in (the server accepts no others).
  const applications = useApplicationChoices(withTown ? townId : (me.municipality?.id ?? ''));
  const applicationItems = applications.data?.items;
  const applicationId = chosenApplication(values.application_id, applicationItems);
  const [local, setLocal] = useState<Partial<Record<keyof Values, string>>>({});
  /** Counts failed submits: the error summary takes focus after each. */
  const [attempt, setAttempt] = useState(0);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const create = useMutation({
    mutationFn: () =>
      supportApi.create({
        category: values.category as Category,
        title: values.title.trim(),
        description: values.description.trim(),
        urgency: values.urgency,
        wished_date: values.wished_date || null,
        project_id: values.project_id || null,
        application_id: applicationId || null,
        // Officers send none: the server takes their own town.
        ...(withTown ? { municipality_id: townId } : {}),
      }),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: supportKeys.all });
      const state: RequestSavedState = { requestCreated: true };
      await navigate(routes.supportRequest(created.id), { state });
    },
  });
  const server = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const errors: Partial<Record<string, string>> = { ...server, ...local };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const found: Partial<Record<keyof Values, string>> = {};
    if (withTown && !townId) found.municipality_id = t('support.form.townMissing');
    if (!values.category) found.category = t('support.form.categoryMissing');
    if (!values.title.trim()) found.title = t('validation.required');
    if (!values.description.trim()) found.description = t('validation.required');
    setLocal(found);
    if (Object.keys(found).length === 0) create.mutate();
    else setAttempt((a) => a + 1);
  };
  const labels: Record<string, string> = {
    municipality_id: t('field.municipality'),
    category: t('support.field.category'),
    title: t('support.field.title'),
    description: t('support.field.description'),
    urgency: t('support.field.urgency'),
    wished_date: t('support.field.wishedDate'),
    project_id: t('support.field.project'),
    application_id: t('support.field.application'),
  };
  const summary = summaryErrors<string>(errors, FIELD_ORDER, fieldId, (f) => labels[f] ?? f);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('support.new')}</PageHeading>
      <p className="kern-body">{t(withTown ? 'support.form.introOnBehalf' : 'support.form.intro')}</p>
      <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('support.new')}>
        <ErrorSummary errors={summary} attempt={attempt} />
        {create.isError && Object.keys(server).length === 0 ? <Alert variant="danger" title={problemMessage(t, create.error)} /> : null}
        {withTown && towns.isError ? <Alert variant="danger" title={problemMessage(t, towns.error)} /> : null}
        {withTown ? (
          <SelectField
            id={fieldId('municipality_id')}
            label={t('field.municipality')}
            required
            value={townId}
            error={errors.municipality_id}
            options={[{ value: '', label: t('support.form.chooseTown') }, ...townOptions(towns.data?.items ?? [], locale)]}
            onChange={(e) => {
              const next = e.target.value;
              setValues((v) => changeTown(v, next, applications.data?.items));
            }}
          />
        ) : null}
        <SelectField
          id={fieldId('category')}
          label={t('support.field.category')}
          required
          value={values.category}
          error={errors.category}
          options={[{ value: '', label: t('support.form.chooseCategory') }, ...categories.map((c) => ({ value: c, label: t(`support.category.${c}`) }))]}
          onChange={(e) => set('category', e.target.value as Category | '')}
        />
        <TextField id={fieldId('title')} label={t('support.field.title')} required value={values.title} error={errors.title} onChange={(e) => set('title', e.target.value)} />
        <TextAreaField
          id={fieldId('description')}
          label={t('support.field.description')}
          hint={t('support.form.descriptionHint')}
          required
          rows={6}
          value={values.description}
          error={errors.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <SelectField
          id={fieldId('urgency')}
          label={t('support.field.urgency')}
          value={values.urgency}
          error={errors.urgency}
          options={urgencies.map((u) => ({ value: u, label: t(`support.urgency.${u}`) }))}
          onChange={(e) => set('urgency', e.target.value as Urgency)}
        />
        <TextField
          id={fieldId('wished_date')}
          label={t('support.field.wishedDate')}
          type="date"
          optional
          value={values.wished_date}
          error={errors.wished_date}
          onChange={(e) => set('wished_date', e.target.value)}
        />
        <SelectField
          id={fieldId('project_id')}
          label={t('support.field.project')}
          optional
          hint={withTown ? t('support.form.projectHintOnBehalf') : undefined}
          value={values.project_id}
          error={errors.project_id}
          options={[{ value: '', label: t('support.form.noProject') }, ...(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))]}
          onChange={(e) => set('project_id', e.target.value)}
        />
        <SelectField
          id={fieldId('application_id')}
          label={t('support.field.application')}
          optional
          hint={withTown ? t('support.form.applicationHintOnBehalf') : undefined}
          value={applicationId}
          error={errors.application_id}
          options={[
            { value: '', label: t('support.form.noApplication') },
            ...applicationOptions(
              applicationItems ?? [],
              (a) => t('support.form.applicationOption', { title: a.title, programme: a.programme_name }),
              locale,
            ),
          ]}
          onChange={(e) => set('application_id', e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending}>
            <span className="kern-label">{t('support.form.submit')}</span>
          </button>
          <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => void navigate(routes.support)}>
            <span className="kern-label">{t('action.cancel')}</span>
          </button>
        </div>
      </form>
    </div>
  );
}
