// /prozesse/kandidaten: "Kandidaten für gemeinsame Digitalisierung" — the processes ranked by the
// towns' workload not yet online; coordinators weight the factors; a candidate becomes a project draft.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Alert, CheckboxField, ErrorSummary, Fieldset, PageHeading, Pagination, QueryState, summaryErrors, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { parseRankingInput, WEIGHTS, type WeightField } from './inputs';
import { formatFte, formatNumber, WEIGHT_MAX } from './numbers';
import { ProcessNav } from './ProcessNav';
import { processKeys } from './queries';
import type { Candidate, RankingWeights } from './types';
import './processes.css';

const LIMIT = 20;
const weightText = (w: number) => String(w).replace('.', ',');

function ProjectDraft({ candidate }: { candidate: Candidate }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(candidate.towns.map((x) => x.municipality.id)));
  const draft = useMutation({ mutationFn: () => processesApi.projectDraft(candidate.process_id, [...chosen]) });
  const fieldError = draft.error instanceof ApiError ? draft.error.fieldErrors.municipality_ids : undefined;
  if (draft.isSuccess) {
    return (
      <Alert variant="success" title={t('processes.candidates.draftCreated')}>
        <Link className="kern-link" to={routes.project(draft.data.project_id)}>
          {t('processes.candidates.openDraft')}
        </Link>
      </Alert>
    );
  }
  if (!open) {
    return (
      <button
        type="button"
        className="kern-btn kern-btn--secondary kern-btn--x-small"
        aria-label={t('action.forItem', { action: t('processes.candidates.draft'), item: candidate.name })}
        onClick={() => setOpen(true)}
      >
        <span className="kern-icon kern-icon--add" aria-hidden="true" />
        <span className="kern-label">{t('processes.candidates.draft')}</span>
      </button>
    );
  }
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    draft.mutate();
  };
  const toggle = (id: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('processes.candidates.draftFor', { name: candidate.name })}>
      <Fieldset legend={t('processes.candidates.partners')} hint={t('processes.candidates.partnersHint')} error={fieldError}>
        {candidate.towns.map((x) => (
          <CheckboxField
            key={x.municipality.id}
            label={x.municipality.name}
            checked={chosen.has(x.municipality.id)}
            onChange={(e) => toggle(x.municipality.id, e.target.checked)}
          />
        ))}
      </Fieldset>
      {draft.isError && !fieldError ? <Alert variant="danger" title={problemMessage(t, draft.error)} /> : null}
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary kern-btn--small" disabled={draft.isPending || chosen.size === 0}>
          <span className="kern-label">{t('processes.candidates.createDraft')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--tertiary kern-btn--small" onClick={() => setOpen(false)}>
          <span className="kern-label">{t('action.cancel')}</span>
        </button>
      </div>
    </form>
  );
}

export function CandidatesPage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const [applied, setApplied] = useState<{ weights: RankingWeights; year: number | null }>({
    weights: { weight_cases: 1, weight_minutes: 1, weight_offline: 1 },
    year: null,
  });
  const [typed, setTyped] = useState<Record<WeightField | 'year', string>>({ weight_cases: '1', weight_minutes: '1', weight_offline: '1', year: '' });
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState(1);
  const ranking = useQuery({
    queryKey: [...processKeys.all, 'candidates', applied, page],
    queryFn: () =>
      processesApi.candidates({ ...applied.weights, ...(applied.year !== null ? { year: applied.year } : {}), page, limit: LIMIT }),
    placeholderData: keepPreviousData,
  });
  const serverErrors = ranking.error instanceof ApiError ? ranking.error.fieldErrors : {};
  const shown = { ...serverErrors, ...errors };
  const labels: Record<string, string> = {
    weight_cases: t('processes.candidates.weightCases'),
    weight_minutes: t('processes.candidates.weightMinutes'),
    weight_offline: t('processes.candidates.weightOffline'),
    year: t('processes.profiles.year'),
  };
  const fid = (f: string) => `candidates-${f}`;
  const summary = summaryErrors<string>(shown, ['year', ...WEIGHTS], fid, (f) => labels[f] ?? f);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const parsed = parseRankingInput(t, typed);
    setErrors(parsed.errors);
    if (parsed.weights) {
      setPage(1);
      setApplied({ weights: parsed.weights, year: parsed.year });
    } else setAttempt((a) => a + 1);
  };
  const canWeight = ranking.data?.can_weight ?? false;
  const mayDraft = can.createProject(me);

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('processes.candidates.title')}</PageHeading>
      <ProcessNav />
      <p className="kern-body">{t('processes.candidates.intro')}</p>
      {ranking.data ? <p className="kern-body kern-body--small">{ranking.data.formula}</p> : null}
      <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('processes.candidates.weights')}>
        <ErrorSummary errors={summary} attempt={attempt} />
        <div className="dn-weights">
          <TextField id={fid('year')} label={labels.year ?? ''} hint={t('processes.candidates.yearHint')} inputMode="numeric" value={typed.year} error={shown.year} onChange={(e) => setTyped((v) => ({ ...v, year: e.target.value }))} />
          {canWeight
            ? WEIGHTS.map((f) => (
                <TextField
                  key={f}
                  id={fid(f)}
                  label={labels[f] ?? f}
                  inputMode="decimal"
                  value={typed[f]}
                  error={shown[f]}
                  onChange={(e) => setTyped((v) => ({ ...v, [f]: e.target.value }))}
                />
              ))
            : null}
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--secondary">
              <span className="kern-label">{t('processes.candidates.apply')}</span>
            </button>
          </div>
        </div>
        {canWeight ? <p className="kern-hint">{t('processes.candidates.weightHint', { max: WEIGHT_MAX })}</p> : null}
      </form>
      <QueryState query={ranking} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('processes.candidates.empty')}</p>}>
        {(data) => (
          <section className="kern-stack" aria-labelledby="candidate-results">
            <h2 className="kern-heading-medium" id="candidate-results" aria-live="polite">
              {t('processes.candidates.results', {
                year: data.year,
                a: weightText(data.weights.weight_cases),
                b: weightText(data.weights.weight_minutes),
                c: weightText(data.weights.weight_offline),
              })}
            </h2>
            <ol className="dn-card-list" aria-label={t('processes.candidates.list')}>
              {data.items.map((c) => (
                <li key={c.process_id} className="dn-partner kern-stack" data-testid={`candidate-${c.process_id}`}>
                  <h3 className="kern-heading-small">
                    {c.rank}.{' '}
                    <Link className="kern-link" to={routes.process(c.process_id)}>
                      {c.name}
                    </Link>
                  </h3>
                  <p className="kern-body">
                    {t('processes.candidates.figures', {
                      score: formatNumber(c.score, locale),
                      hours: formatNumber(c.offline_hours, locale),
                      cases: formatNumber(c.annual_cases, locale),
                      fte: formatFte(c.staff_fte_hundredths, locale),
                      towns: c.towns.length,
                    })}
                  </p>
                  <p className="kern-body">
                    {c.efa_solution ? (
                      <>
                        {t('processes.candidates.efa')}{' '}
                        <Link className="kern-link" to={routes.efaSolution(c.efa_solution.id)}>
                          {c.efa_solution.name}
                        </Link>
                        {c.running_towns.length
                          ? ` – ${t('processes.candidates.running', { towns: c.running_towns.map((x) => x.name).join(', ') })}`
                          : ` – ${t('processes.candidates.notRunning')}`}
                        {c.running_elsewhere > 0 ? ` ${t('processes.candidates.elsewhere', { count: c.running_elsewhere })}` : ''}
                      </>
                    ) : (
                      t('processes.candidates.noEfa')
                    )}
                  </p>
                  {mayDraft && c.towns.length > 0 ? <ProjectDraft candidate={c} /> : null}
                </li>
              ))}
            </ol>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={setPage} />
          </section>
        )}
      </QueryState>
    </div>
  );
}
