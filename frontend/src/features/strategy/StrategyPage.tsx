// /strategie (the district's strategy) and /strategie/kommune/:id (a town's): goal fields
// with their measures and linked projects, progress, and the editors for those who may edit.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, PageHeading, QueryState, StatusMessage, useDistrictScope } from '@/components';
import { problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { strategyApi } from './api';
import { AnnounceProvider, ConfirmDelete, GoalFieldForm, MeasureForm, MutationError, useAnnounce, useStrategyUpdate } from './editors';
import { nextMeasureStatuses } from './progress';
import { ProgressBar } from './ProgressBar';
import { strategyKeys, useStrategy, useTowns } from './queries';
import type { GoalField, Measure, MeasureStatus, Strategy, StrategyKind } from './types';

const measureVariant: Record<MeasureStatus, string> = {
  planned: 'info',
  in_progress: 'warning',
  done: 'success',
  dropped: 'danger',
};

function formatDate(value: string, locale: string): string {
  const date = new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(date);
}

function MeasureItem({ measure, canEdit, goalFieldId, queryKey }: { measure: Measure; canEdit: boolean; goalFieldId: string; queryKey: readonly unknown[] }) {
  const { t, locale } = useI18n();
  const apply = useStrategyUpdate(queryKey);
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const status = useMutation({
    mutationFn: (to: MeasureStatus) => strategyApi.changeMeasureStatus(measure.id, measure.version, to),
    onMutate: () => announce(null),
    onSuccess: async (s, to) => {
      await apply(s);
      announce(t('strategy.notice.measureStatus', { title: measure.title, status: t(`strategy.measureStatus.${to}`) }));
    },
  });
  const remove = useMutation({
    mutationFn: () => strategyApi.deleteMeasure(measure.id),
    onMutate: () => announce(null),
    onSuccess: async () => {
      await apply(undefined);
      announce(t('strategy.notice.deleted', { title: measure.title }));
    },
  });
  if (editing) {
    return (
      <li className="dn-measure">
        <MeasureForm queryKey={queryKey} goalFieldId={goalFieldId} measure={measure} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="dn-measure">
      <h4 className="kern-heading-small">{measure.title}</h4>
      <p className="kern-body kern-body--small dn-measure__meta">
        <span className={`kern-badge kern-badge--${measureVariant[measure.status]}`}>
          <span className="kern-label kern-label--small">
            <span className="kern-sr-only">{t('strategy.measure.status')}: </span>
            {t(`strategy.measureStatus.${measure.status}`)}
          </span>
        </span>
        <span>
          {t('strategy.measure.owner')}: {measure.owner?.name ?? t('strategy.measure.noOwner')}
        </span>
        <span>
          {t('strategy.measure.targetDate')}: {measure.target_date ? formatDate(measure.target_date, locale) : '–'}
        </span>
      </p>
      {measure.projects.length ? (
        <div>
          <p className="kern-body kern-body--small">{t('strategy.measure.projects')}:</p>
          <ul className="dn-links">
            {measure.projects.map((p) => (
              <li key={p.id}>
                <Link className="kern-link" to={routes.project(p.id)}>
                  {p.title}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {canEdit ? (
        <>
          <MutationError error={status.error ?? remove.error} queryKey={queryKey} onReload={() => { status.reset(); remove.reset(); }} />
          <div className="kern-btn-wrapper dn-actions">
            {nextMeasureStatuses[measure.status].map((to) => (
              <button
                key={to}
                type="button"
                className="kern-btn kern-btn--secondary kern-btn--x-small"
                disabled={status.isPending}
                onClick={() => status.mutate(to)}
                aria-label={t('action.forItem', { action: t(`strategy.measureMove.${to}`), item: measure.title })}
              >
                <span className="kern-label">{t(`strategy.measureMove.${to}`)}</span>
              </button>
            ))}
            <button
              type="button"
              className="kern-btn kern-btn--tertiary kern-btn--x-small"
              onClick={() => setEditing(true)}
              aria-label={t('action.forItem', { action: t('strategy.edit'), item: measure.title })}
            >
              <span className="kern-icon kern-icon--edit" aria-hidden="true" />
              <span className="kern-label">{t('strategy.edit')}</span>
            </button>
            <ConfirmDelete
              label={t('strategy.measure.delete')}
              question={t('strategy.measure.deleteQuestion', { title: measure.title })}
              pending={remove.isPending}
              onConfirm={() => remove.mutate()}
            />
          </div>
        </>
      ) : null}
    </li>
  );
}

function GoalFieldSection({ field, canEdit, queryKey }: { field: GoalField; canEdit: boolean; queryKey: readonly unknown[] }) {
  const t = useT();
  const apply = useStrategyUpdate(queryKey);
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const remove = useMutation({
    mutationFn: () => strategyApi.deleteGoalField(field.id),
    onMutate: () => announce(null),
    onSuccess: async () => {
      await apply(undefined);
      announce(t('strategy.notice.deleted', { title: field.title }));
    },
  });
  const headingId = `goal-${field.id}`;
  return (
    <section className="kern-stack dn-goal-field" aria-labelledby={headingId}>
      <h3 className="kern-heading-medium" id={headingId}>
        {field.title}
      </h3>
      {editing ? (
        <GoalFieldForm queryKey={queryKey} field={field} onDone={() => setEditing(false)} />
      ) : (
        <>
          {field.description ? <p className="kern-body dn-pre-line">{field.description}</p> : null}
          <ProgressBar label={t('strategy.progress.of', { title: field.title })} progress={field.progress} />
          {canEdit ? (
            <div className="kern-btn-wrapper dn-actions">
              <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setEditing(true)}>
                <span className="kern-icon kern-icon--edit" aria-hidden="true" />
                <span className="kern-label">{t('strategy.goal.edit')}</span>
              </button>
              <ConfirmDelete
                label={t('strategy.goal.delete')}
                question={t('strategy.goal.deleteQuestion', { title: field.title })}
                pending={remove.isPending}
                onConfirm={() => remove.mutate()}
              />
            </div>
          ) : null}
          {remove.isError ? <Alert variant="danger" title={problemMessage(t, remove.error)} /> : null}
        </>
      )}
      {field.measures.length ? (
        <ul className="dn-measures" aria-label={t('strategy.measure.list', { title: field.title })}>
          {field.measures.map((m) => (
            <MeasureItem key={m.id} measure={m} canEdit={canEdit} goalFieldId={field.id} queryKey={queryKey} />
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('strategy.measure.none')}</p>
      )}
      {canEdit ? (
        adding ? (
          <MeasureForm queryKey={queryKey} goalFieldId={field.id} onDone={() => setAdding(false)} />
        ) : (
          <div className="kern-btn-wrapper">
            <button type="button" className="kern-btn kern-btn--secondary" onClick={() => setAdding(true)}>
              <span className="kern-icon kern-icon--add" aria-hidden="true" />
              <span className="kern-label">{t('strategy.measure.add')}</span>
            </button>
          </div>
        )
      ) : null}
    </section>
  );
}

function StrategyView({ strategy, kind, ownerId }: { strategy: Strategy; kind: StrategyKind; ownerId: string }) {
  const t = useT();
  const queryKey = strategyKeys.of(kind, ownerId);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <AnnounceProvider value={setNotice}>
      <div className="kern-stack-lg">
        <StatusMessage message={notice} />
        <section className="kern-stack" aria-labelledby="strategy-progress">
          <h2 className="kern-heading-medium" id="strategy-progress">
            {t('strategy.progress.total')}
          </h2>
          <ProgressBar label={t('strategy.progress.total')} progress={strategy.progress} />
          {!strategy.can_edit ? <p className="kern-body kern-body--small">{t('strategy.readOnly')}</p> : null}
        </section>
        <section className="kern-stack" aria-labelledby="goal-fields">
          <h2 className="kern-heading-medium" id="goal-fields">
            {t('strategy.goal.list')}
          </h2>
          {strategy.goal_fields.length === 0 ? <p className="kern-body">{t('strategy.goal.none')}</p> : null}
          {strategy.goal_fields.map((f) => (
            <GoalFieldSection key={f.id} field={f} canEdit={strategy.can_edit} queryKey={queryKey} />
          ))}
          {strategy.can_edit ? (
            adding ? (
              <GoalFieldForm
                queryKey={queryKey}
                create={(title, description) => strategyApi.addGoalField(kind, ownerId, { title, description })}
                onDone={() => setAdding(false)}
              />
            ) : (
              <div className="kern-btn-wrapper">
                <button type="button" className="kern-btn kern-btn--primary" onClick={() => setAdding(true)}>
                  <span className="kern-icon kern-icon--add" aria-hidden="true" />
                  <span className="kern-label">{t('strategy.goal.add')}</span>
                </button>
              </div>
            )
          ) : null}
        </section>
      </div>
    </AnnounceProvider>
  );
}

function OtherStrategies({ currentTownId }: { currentTownId?: string }) {
  const t = useT();
  const me = useMe();
  const towns = useTowns();
  const items = (towns.data?.items ?? []).filter((m) => m.district_id === me.district?.id || !me.district);
  return (
    <nav className="kern-stack" aria-labelledby="other-strategies">
      <h2 className="kern-heading-small" id="other-strategies">
        {t('strategy.others')}
      </h2>
      <ul className="dn-inline-links">
        {currentTownId ? (
          <li>
            <Link className="kern-link" to={routes.strategy}>
              {t('strategy.districtTitle')}
            </Link>
          </li>
        ) : null}
        {items
          .filter((m) => m.id !== currentTownId && m.kind !== 'district_administration')
          .map((m) => (
            <li key={m.id}>
              <Link className="kern-link" to={routes.townStrategy(m.id)}>
                {m.name}
                {m.id === me.municipality?.id ? ` (${t('strategy.ownTown')})` : ''}
              </Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}

export function DistrictStrategyPage() {
  const t = useT();
  const me = useMe();
  const scope = useDistrictScope();
  const districtId = scope.districtId ?? '';
  const strategy = useStrategy('district', districtId);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{scope.districtName ? t('strategy.districtTitleOf', { name: scope.districtName }) : t('strategy.districtTitle')}</PageHeading>
      <p className="kern-body">{t('strategy.intro')}</p>
      {scope.picker}
      {me.municipality ? (
        <p className="kern-body">
          <Link className="kern-link" to={routes.townStrategy(me.municipality.id)}>
            {t('strategy.toOwnTown', { town: me.municipality.name })}
          </Link>
        </p>
      ) : null}
      {districtId ? (
        <QueryState query={strategy}>{(s) => <StrategyView strategy={s} kind="district" ownerId={districtId} />}</QueryState>
      ) : (
        <Alert variant="info" title={t('strategy.noDistrict')} />
      )}
      <OtherStrategies />
    </div>
  );
}

export function TownStrategyPage() {
  const t = useT();
  const { id = '' } = useParams();
  const towns = useTowns();
  const strategy = useStrategy('municipality', id);
  const name = towns.data?.items.find((m) => m.id === id)?.name;
  return (
    <div className="kern-stack-lg">
      <PageHeading>{name ? t('strategy.townTitleOf', { name }) : t('strategy.townTitle')}</PageHeading>
      <QueryState query={strategy}>{(s) => <StrategyView strategy={s} kind="municipality" ownerId={id} />}</QueryState>
      <OtherStrategies currentTownId={id} />
    </div>
  );
}
