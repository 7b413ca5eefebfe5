// Editors of a strategy: goal fields (If-Match = goal field version) and measures
// (If-Match = measure version). Every change answers with the whole strategy.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useState, type SyntheticEvent } from 'react';
import { Alert, SelectField, TextAreaField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { strategyApi } from './api';
import { ProjectPicker, type ProjectChoice } from './ProjectPicker';
import { useDistrictUsers } from './queries';
import type { GoalField, Measure, Strategy } from './types';

/** Puts a confirmation into the strategy page's polite live region (null first, so repeated words are announced again). */
export type Announce = (message: string | null) => void;
const AnnounceContext = createContext<Announce>(() => undefined);
export const AnnounceProvider = AnnounceContext.Provider;
export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}

/** Puts the returned strategy into the cache, or reloads it (after a delete). */
export function useStrategyUpdate(queryKey: readonly unknown[]) {
  const queryClient = useQueryClient();
  return async (result: Strategy | undefined) => {
    if (result) queryClient.setQueryData(queryKey, result);
    else await queryClient.invalidateQueries({ queryKey });
  };
}

/** The alert after a 412: someone else changed it; reload before trying again. */
export function StaleAlert({ queryKey, onReload }: { queryKey: readonly unknown[]; onReload: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <Alert variant="danger" title={t('strategy.stale')}>
      <button
        type="button"
        className="kern-btn kern-btn--secondary"
        onClick={() => {
          onReload();
          void queryClient.invalidateQueries({ queryKey });
        }}
      >
        <span className="kern-label">{t('strategy.reload')}</span>
      </button>
    </Alert>
  );
}

export function MutationError({ error, queryKey, onReload }: { error: unknown; queryKey: readonly unknown[]; onReload: () => void }) {
  const t = useT();
  if (!error) return null;
  if (error instanceof ApiError && error.kind === 'precondition-failed') {
    return <StaleAlert queryKey={queryKey} onReload={onReload} />;
  }
  if (error instanceof ApiError && Object.keys(error.fieldErrors).length) return null;
  return <Alert variant="danger" title={problemMessage(t, error)} />;
}

interface GoalFieldFormProps {
  queryKey: readonly unknown[];
  /** Set to edit, else a new goal field is added to the strategy. */
  field?: GoalField;
  create?: (title: string, description: string) => Promise<Strategy>;
  onDone: () => void;
}

export function GoalFieldForm({ queryKey, field, create, onDone }: GoalFieldFormProps) {
  const t = useT();
  const apply = useStrategyUpdate(queryKey);
  const announce = useAnnounce();
  const [title, setTitle] = useState(field?.title ?? '');
  const [description, setDescription] = useState(field?.description ?? '');
  const [titleError, setTitleError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () =>
      field
        ? strategyApi.updateGoalField(field.id, field.version, { title: title.trim(), description: description.trim() })
        : (create?.(title.trim(), description.trim()) ?? Promise.reject(new Error('no target'))),
    onMutate: () => announce(null),
    onSuccess: async (s) => {
      await apply(s);
      announce(t(field ? 'strategy.notice.goalSaved' : 'strategy.notice.goalAdded', { title: title.trim() }));
      onDone();
    },
  });
  const fields = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setTitleError(t('validation.required'));
      return;
    }
    setTitleError(undefined);
    save.mutate();
  };
  return (
    <form className="kern-stack dn-inline-editor" noValidate onSubmit={submit} aria-label={field ? t('strategy.goal.edit') : t('strategy.goal.add')}>
      <MutationError error={save.error} queryKey={queryKey} onReload={() => save.reset()} />
      <TextField label={t('strategy.goal.title')} required value={title} error={titleError ?? fields.title} onChange={(e) => setTitle(e.target.value)} />
      <TextAreaField
        label={t('strategy.goal.description')}
        optional
        rows={3}
        value={description}
        error={fields.description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{field ? t('action.save') : t('strategy.goal.add')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={onDone}>
          <span className="kern-label">{t('action.cancel')}</span>
        </button>
      </div>
    </form>
  );
}

interface MeasureFormProps {
  queryKey: readonly unknown[];
  goalFieldId: string;
  measure?: Measure;
  onDone: () => void;
}

export function MeasureForm({ queryKey, goalFieldId, measure, onDone }: MeasureFormProps) {
  const t = useT();
  const me = useMe();
  const apply = useStrategyUpdate(queryKey);
  const announce = useAnnounce();
  const users = useDistrictUsers(me.district?.id, true);
  const [title, setTitle] = useState(measure?.title ?? '');
  const [owner, setOwner] = useState(measure?.owner?.id ?? '');
  const [targetDate, setTargetDate] = useState(measure?.target_date ?? '');
  const [projects, setProjects] = useState<ProjectChoice[]>(measure?.projects.map((p) => ({ id: p.id, title: p.title })) ?? []);
  const [titleError, setTitleError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () => {
      const body = {
        title: title.trim(),
        owner_user_id: owner || null,
        target_date: targetDate || null,
        project_ids: projects.map((p) => p.id),
      };
      return measure ? strategyApi.updateMeasure(measure.id, measure.version, body) : strategyApi.addMeasure(goalFieldId, body);
    },
    onMutate: () => announce(null),
    onSuccess: async (s) => {
      await apply(s);
      announce(t(measure ? 'strategy.notice.measureSaved' : 'strategy.notice.measureAdded', { title: title.trim() }));
      onDone();
    },
  });
  const fields = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const ownerOptions = users.data?.items ?? [];
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setTitleError(t('validation.required'));
      return;
    }
    setTitleError(undefined);
    save.mutate();
  };
  return (
    <form className="kern-stack dn-inline-editor" noValidate onSubmit={submit} aria-label={measure ? t('strategy.measure.edit') : t('strategy.measure.add')}>
      <MutationError error={save.error} queryKey={queryKey} onReload={() => save.reset()} />
      <TextField label={t('strategy.measure.title')} required value={title} error={titleError ?? fields.title} onChange={(e) => setTitle(e.target.value)} />
      <SelectField
        label={t('strategy.measure.owner')}
        value={owner}
        error={fields.owner_user_id}
        options={[
          { value: '', label: t('strategy.measure.noOwner') },
          ...(measure?.owner && !ownerOptions.some((u) => u.id === measure.owner?.id)
            ? [{ value: measure.owner.id, label: measure.owner.name }]
            : []),
          ...ownerOptions.map((u) => ({ value: u.id, label: u.name })),
        ]}
        onChange={(e) => setOwner(e.target.value)}
      />
      <TextField
        label={t('strategy.measure.targetDate')}
        type="date"
        optional
        value={targetDate}
        error={fields.target_date}
        onChange={(e) => setTargetDate(e.target.value)}
      />
      <ProjectPicker value={projects} onChange={setProjects} error={fields.project_ids} />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{measure ? t('action.save') : t('strategy.measure.add')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={onDone}>
          <span className="kern-label">{t('action.cancel')}</span>
        </button>
      </div>
    </form>
  );
}

/** A delete button that asks once more before it deletes. */
export function ConfirmDelete({ label, question, onConfirm, pending }: { label: string; question: string; onConfirm: () => void; pending: boolean }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setAsking(true)}>
        <span className="kern-icon kern-icon--delete" aria-hidden="true" />
        <span className="kern-label">{label}</span>
      </button>
    );
  }
  return (
    <span className="dn-confirm" role="group" aria-label={question}>
      <span className="kern-body">{question}</span>
      <button type="button" className="kern-btn kern-btn--primary kern-btn--x-small" disabled={pending} onClick={onConfirm}>
        <span className="kern-label">{t('strategy.confirmDelete')}</span>
      </button>
      <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setAsking(false)}>
        <span className="kern-label">{t('action.cancel')}</span>
      </button>
    </span>
  );
}
