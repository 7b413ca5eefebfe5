// /nutzung/reifegrad: a town assesses a service's OZG maturity (a level per criterion of the
// chosen model; the overall level is the lowest, shown while choosing), and the district's
// matrix of towns × services with "Stufe ≥ 3 in N von M Kommunen".
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, PageHeading, QueryState, SelectField, TextField, useDistrictScope } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useI18n } from '@/lib/i18n';
import { usageApi } from './api';
import { CsvButton } from './CsvButton';
import { ErrorSummary, type SummaryError } from './ErrorSummary';
import { overallLevel } from './maturity';
import { usageKeys } from './queries';
import { useTownScope } from './townScope';
import type { LeikaService, MaturityMatrix, MaturityModel } from './types';
import { UsageNav } from './UsageNav';
import './usage.css';

const today = () => new Date().toISOString().slice(0, 10);

function ServiceSearch({ value, onChange }: { value: LeikaService | null; onChange: (s: LeikaService | null) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const found = useQuery({ queryKey: ['usage', 'services', search], queryFn: () => usageApi.services(search), enabled: search.length >= 2 });
  if (value) {
    return (
      <p className="kern-body">
        {t('usage.maturity.service', { name: value.name, key: value.leika_key })}{' '}
        <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => onChange(null)}>
          <span className="kern-label">{t('usage.maturity.otherService')}</span>
        </button>
      </p>
    );
  }
  return (
    <div className="kern-stack">
      <div className="dn-inline-form">
        <TextField label={t('usage.manual.search')} hint={t('usage.manual.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" className="kern-btn kern-btn--secondary" onClick={() => setSearch(q.trim())}>
          <span className="kern-label">{t('action.search')}</span>
        </button>
      </div>
      {found.data ? (
        found.data.items.length ? (
          <ul className="dn-plain-list">
            {found.data.items.map((s) => (
              <li key={s.leika_key}>
                <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => onChange(s)}>
                  <span className="kern-label">{t('usage.maturity.choose', { name: s.name, key: s.leika_key })}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="kern-body">{t('usage.manual.noneFound')}</p>
        )
      ) : null}
    </div>
  );
}

function AssessmentForm({ models }: { models: MaturityModel[] }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const scope = useTownScope();
  const [modelId, setModelId] = useState(models[models.length - 1]?.id ?? '');
  const model = models.find((m) => m.id === modelId);
  const [service, setService] = useState<LeikaService | null>(null);
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [assessedOn, setAssessedOn] = useState(today);
  const [assessor, setAssessor] = useState(me.name);
  const [evidence, setEvidence] = useState('');
  const [local, setLocal] = useState<SummaryError[]>([]);
  const criteria = [...(model?.criteria ?? [])].sort((a, b) => a.position - b.position);
  const overall = overallLevel(criteria.map((c) => ({ key: c.key, level: levels[c.key] === undefined || levels[c.key] === '' ? null : Number(levels[c.key]) })));
  const levelName = (level: number) => model?.levels.find((l) => l.level === level)?.name ?? String(level);
  const history = useQuery({
    queryKey: usageKeys.assessments(scope.townId, service?.leika_key ?? '', modelId),
    queryFn: () => usageApi.assessments(scope.townId, service?.leika_key ?? '', modelId),
    enabled: scope.townId !== '' && !!service && modelId !== '',
  });
  const save = useMutation({
    mutationFn: () =>
      usageApi.assess({
        municipality_id: scope.townId,
        leika_key: service?.leika_key ?? '',
        model: modelId,
        assessed_on: assessedOn,
        assessor: assessor.trim(),
        evidence_url: evidence.trim() || null,
        criteria: criteria.map((c) => ({ key: c.key, level: Number(levels[c.key]) })),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['usage', 'maturity'] });
    },
  });
  const server: SummaryError[] = save.error instanceof ApiError ? (save.error.problem?.errors ?? []).map((e) => ({ message: e.message })) : [];
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const problems: SummaryError[] = [];
    if (!service) problems.push({ message: t('usage.maturity.noService') });
    for (const c of criteria) if (!levels[c.key]) problems.push({ message: t('usage.maturity.noLevel', { criterion: c.name }), target: `criterion-${c.key}` });
    if (!assessor.trim()) problems.push({ message: t('usage.maturity.noAssessor') });
    setLocal(problems);
    if (problems.length === 0) save.mutate();
  };
  return (
    <section className="kern-stack" aria-labelledby="maturity-assess">
      <h2 className="kern-heading-medium" id="maturity-assess">
        {t('usage.maturity.assess')}
      </h2>
      {scope.picker}
      <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-labelledby="maturity-assess">
        <ErrorSummary title={t('usage.maturity.problems')} errors={[...local, ...server]} />
        {save.isError && server.length === 0 ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
        {save.isSuccess ? (
          <Alert variant="success" title={t('usage.maturity.saved', { level: save.data.overall_level, service: save.data.service_name })} />
        ) : null}
        <SelectField
          label={t('usage.maturity.model')}
          value={modelId}
          options={models.map((m) => ({ value: m.id, label: m.name }))}
          onChange={(e) => {
            setModelId(e.target.value);
            setLevels({});
            save.reset();
          }}
        />
        {model ? <p className="kern-body kern-body--small">{t('usage.maturity.source', { source: model.source })}</p> : null}
        <ServiceSearch value={service} onChange={(s) => { setService(s); save.reset(); }} />
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{t('usage.maturity.criteria')}</legend>
          <div className="kern-fieldset__body kern-stack">
            {criteria.map((c) => (
              <div key={c.key} className="kern-form-input">
                <label className="kern-label" htmlFor={`criterion-${c.key}`}>
                  {c.name}
                </label>
                {c.description ? (
                  <div className="kern-hint" id={`criterion-${c.key}-hint`}>
                    {c.description}
                  </div>
                ) : null}
                <div className="kern-form-input__select-wrapper">
                  <select
                    id={`criterion-${c.key}`}
                    className="kern-form-input__select"
                    aria-describedby={c.description ? `criterion-${c.key}-hint` : undefined}
                    value={levels[c.key] ?? ''}
                    onChange={(e) => {
                      save.reset();
                      setLevels((l) => ({ ...l, [c.key]: e.target.value }));
                    }}
                  >
                    <option value="">{t('usage.maturity.chooseLevel')}</option>
                    {(model?.levels ?? []).map((l) => (
                      <option key={l.level} value={String(l.level)}>
                        {t('usage.maturity.levelOption', { level: l.level, name: l.name })}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            ))}
          </div>
        </fieldset>
        <p className="kern-body dn-level-overall" aria-live="polite" data-testid="maturity-overall">
          {overall
            ? t('usage.maturity.overall', {
                level: overall.level,
                name: levelName(overall.level),
                weakest: overall.weakest.map((k) => criteria.find((c) => c.key === k)?.name ?? k).join(', '),
              })
            : t('usage.maturity.overallOpen')}
        </p>
        <TextField label={t('usage.maturity.date')} type="date" value={assessedOn} onChange={(e) => setAssessedOn(e.target.value)} />
        <TextField label={t('usage.maturity.assessor')} value={assessor} onChange={(e) => setAssessor(e.target.value)} />
        <TextField label={t('usage.maturity.evidence')} type="url" optional hint={t('usage.maturity.evidenceHint')} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
            <span className="kern-label">{t('usage.maturity.save')}</span>
          </button>
        </div>
      </form>
      {history.data?.items.length ? (
        <section className="kern-stack" aria-labelledby="maturity-history">
          <h3 className="kern-heading-small" id="maturity-history">
            {t('usage.maturity.history')}
          </h3>
          <ul className="dn-plain-list">
            {history.data.items.map((a) => (
              <li key={a.id} className="kern-body">
                {new Date(`${a.assessed_on}T00:00:00Z`).toLocaleDateString(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'UTC' })} ·{' '}
                {t('usage.maturity.historyLine', { level: a.overall_level, assessor: a.assessor })}
                {a.evidence_url ? (
                  <>
                    {' · '}
                    <a className="kern-link" href={a.evidence_url} rel="noopener noreferrer" target="_blank">
                      {t('usage.maturity.evidenceLink')}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

function MatrixTable({ matrix }: { matrix: MaturityMatrix }) {
  const { t } = useI18n();
  const byKey = new Map(matrix.cells.map((c) => [`${c.municipality_id}|${c.leika_key}`, c]));
  return (
    <div className="dn-matrix-scroll" role="region" aria-labelledby="maturity-caption" tabIndex={0}>
      <table className="kern-table kern-table--small dn-heat">
        <caption className="kern-title dn-matrix__caption" id="maturity-caption">
          {t('usage.maturity.matrixCaption')}
        </caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header dn-heat__service">
              {t('usage.field.service')}
            </th>
            {matrix.towns.map((town) => (
              <th key={town.id} scope="col" className="kern-table__header dn-heat__town">
                {town.name}
              </th>
            ))}
            <th scope="col" className="kern-table__header dn-matrix__total">
              {t('usage.maturity.atLeast3Header')}
            </th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {matrix.services.map((s) => (
            <tr key={s.leika_key} className="kern-table__row">
              <th scope="row" className="kern-table__cell dn-heat__service">
                {s.name}
              </th>
              {matrix.towns.map((town) => {
                const cell = byKey.get(`${town.id}|${s.leika_key}`);
                return (
                  <td key={town.id} className="kern-table__cell dn-matrix__cell">
                    {cell ? (
                      t('usage.maturity.level', { level: cell.level })
                    ) : (
                      <>
                        <span aria-hidden="true">–</span>
                        <span className="kern-sr-only">{t('usage.maturity.notAssessed')}</span>
                      </>
                    )}
                  </td>
                );
              })}
              <td className="kern-table__cell dn-matrix__total">{t('usage.maturity.atLeast3', { n: s.at_least_3, m: s.towns_total })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DistrictMatrix({ models }: { models: MaturityModel[] }) {
  const { t } = useI18n();
  const scope = useDistrictScope();
  const [modelId, setModelId] = useState(models[models.length - 1]?.id ?? '');
  const matrix = useQuery({
    queryKey: usageKeys.matrix(scope.districtId ?? '', modelId),
    queryFn: () => usageApi.maturityMatrix(scope.districtId ?? '', modelId),
    enabled: !!scope.districtId && modelId !== '',
  });
  return (
    <section className="kern-stack" aria-labelledby="maturity-district">
      <h2 className="kern-heading-medium" id="maturity-district">
        {t('usage.maturity.district')}
      </h2>
      {scope.picker}
      <div className="dn-filters">
        <SelectField label={t('usage.maturity.model')} value={modelId} options={models.map((m) => ({ value: m.id, label: m.name }))} onChange={(e) => setModelId(e.target.value)} />
      </div>
      <QueryState query={matrix} isEmpty={(m) => m.services.length === 0} empty={<p className="kern-body">{t('usage.maturity.empty')}</p>}>
        {(m) => (
          <>
            <MatrixTable matrix={m} />
            <div className="kern-btn-wrapper dn-actions">
              <CsvButton baseName="reifegrad" item={t('usage.maturity.district')} fetch={() => usageApi.maturityCsv(scope.districtId ?? '', modelId)} />
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

export function MaturityPage() {
  const { t } = useI18n();
  const me = useMe();
  const models = useQuery({ queryKey: usageKeys.models, queryFn: usageApi.models, staleTime: 60 * 60 * 1000 });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('usage.maturity.title')}</PageHeading>
      <UsageNav />
      <p className="kern-body">{t('usage.maturity.intro')}</p>
      <QueryState query={models} isEmpty={(m) => m.length === 0}>
        {(m) => (
          <>
            {can.enterUsage(me) ? <AssessmentForm models={m} /> : null}
            <DistrictMatrix models={m} />
          </>
        )}
      </QueryState>
    </div>
  );
}
