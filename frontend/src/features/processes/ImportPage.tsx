// /prozesse/import: a town's existing register as CSV (name, LeiKa key, office, cases, minutes);
// all or nothing — one bad line and nothing is stored, every problem is listed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SyntheticEvent } from 'react';
import { Alert, PageHeading, SelectField, StatusMessage, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { processesApi } from './api';
import { RegisterCsvButton } from './Downloads';
import { parseCount } from './numbers';
import { ProcessNav } from './ProcessNav';
import { processKeys, useTowns } from './queries';

export function ImportPage() {
  const t = useT();
  const me = useMe();
  const id = useId();
  const queryClient = useQueryClient();
  const district = can.worksForDistrict(me);
  const towns = useTowns(me.district?.id);
  const options = (towns.data?.items ?? []).filter((m) => m.kind !== 'district_administration');
  const [chosen, setChosen] = useState('');
  const townId = district ? chosen || options[0]?.id || '' : (me.municipality?.id ?? '');
  const [year, setYear] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: async ({ f, y }: { f: File; y: number | null }) =>
      processesApi.importCsv({ municipality_id: townId, csv: await f.text(), ...(y !== null ? { year: y } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: processKeys.all }),
  });
  const problems = run.error instanceof ApiError ? (run.error.problem?.errors ?? []) : [];
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    run.reset();
    if (!file) {
      setLocalError(t('processes.import.choose'));
      return;
    }
    const y = year.trim() ? parseCount(year) : null;
    if (year.trim() && (y === null || y < 2000 || y > 2100)) {
      setLocalError(t('processes.profiles.yearInvalid'));
      return;
    }
    setLocalError(null);
    run.mutate({ f: file, y });
  };
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('processes.import.title')}</PageHeading>
      <ProcessNav />
      <p className="kern-body">{t('processes.import.intro')}</p>
      <p className="kern-body">
        <code>{t('processes.import.columns')}</code>
      </p>
      <StatusMessage message={run.isSuccess ? t('processes.import.done', { rows: run.data.rows, created: run.data.created, matched: run.data.matched, profiles: run.data.profiles }) : null} />
      {run.isError ? (
        <Alert variant="danger" title={t('processes.import.failed')}>
          {problems.length ? (
            <ul className="dn-error-summary__list">
              {problems.map((p, i) => (
                <li key={i} className="kern-body">
                  {p.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="kern-body">{run.error instanceof ApiError && run.error.problem?.detail ? run.error.problem.detail : problemMessage(t, run.error)}</p>
          )}
        </Alert>
      ) : null}
      <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={t('processes.import.title')}>
        {district ? (
          <SelectField label={t('field.municipality')} value={townId} options={options.map((m) => ({ value: m.id, label: m.name }))} onChange={(e) => setChosen(e.target.value)} />
        ) : null}
        <TextField
          label={t('processes.import.year')}
          hint={t('processes.import.yearHint')}
          optional
          inputMode="numeric"
          value={year}
          onChange={(e) => setYear(e.target.value)}
        />
        <div className={`kern-form-input${localError ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor={`${id}-file`}>
            {t('processes.import.file')}
          </label>
          <div className="kern-hint" id={`${id}-hint`}>
            {t('processes.import.hint')}
          </div>
          {localError ? (
            <p className="kern-error" id={`${id}-error`}>
              <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span className="kern-body">{localError}</span>
            </p>
          ) : null}
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            className="kern-form-input__input"
            aria-invalid={localError ? true : undefined}
            aria-describedby={localError ? `${id}-hint ${id}-error` : `${id}-hint`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={run.isPending || !file}>
            <span className="kern-icon kern-icon--upload" aria-hidden="true" />
            <span className="kern-label">{t('processes.import.submit')}</span>
          </button>
        </div>
      </form>
      <section className="kern-stack" aria-labelledby="register-export">
        <h2 className="kern-heading-small" id="register-export">
          {t('processes.import.exportTitle')}
        </h2>
        <div className="kern-btn-wrapper">
          <RegisterCsvButton />
        </div>
      </section>
    </div>
  );
}
