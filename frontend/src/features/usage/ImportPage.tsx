// /nutzung/import: a CSV from a portal or specialist system in three steps — choose the file,
// map its columns (prefilled with the server's suggestion), check the preview, import. The
// server imports the whole file in one transaction; a refused file lists line and column.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Alert, OptionalMark, PageHeading, RadioField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { usageApi } from './api';
import { ErrorSummary, type SummaryError } from './ErrorSummary';
import { mappingProblems, prefillMapping, toMapping, type MappingForm } from './mapping';
import { usageKeys } from './queries';
import { channelLabel, formatCount } from './share';
import { useTownScope } from './townScope';
import { channels, type Channel, type Preview, type UsageImport } from './types';
import { UsageNav } from './UsageNav';
import './usage.css';

type Step = 'file' | 'mapping' | 'preview';

const sourceKeys: Partial<Record<string, MessageKey>> = { csv: 'usage.source.csv', manual: 'usage.source.manual', api: 'usage.source.api' };

const fieldId = (field: string) => `usage-${field.replace(/[^a-z_]/gi, '-')}`;

function ColumnSelect({ field, label, hint, value, headers, error, optional, onChange }: {
  field: string;
  label: string;
  hint?: string;
  value: string;
  headers: string[];
  error?: string;
  optional?: boolean;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const id = fieldId(field);
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
        {optional ? <OptionalMark /> : null}
      </label>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="kern-error" id={`${id}-error`}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      ) : null}
      <div className="kern-form-input__select-wrapper">
        <select
          id={id}
          className={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{t('usage.mapping.none')}</option>
          {headers.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function PreviewTable({ preview, form }: { preview: Preview; form: MappingForm }) {
  const { t } = useI18n();
  const role = (header: string): string | null => {
    const roles: [string, MessageKey][] = [
      [form.leika_key, 'usage.mapping.leika_key'],
      [form.month, 'usage.mapping.month'],
      [form.ozg_id, 'usage.mapping.ozg_id'],
      [form.median_days, 'usage.mapping.median_days'],
      [form.backlog, 'usage.mapping.backlog'],
      ...(form.format === 'long'
        ? ([
            [form.channel, 'usage.mapping.channel'],
            [form.count, 'usage.mapping.count'],
          ] as [string, MessageKey][])
        : channels.map((c): [string, MessageKey] => [form.channels[c], channelLabel[c] ?? 'usage.channel.online'])),
    ];
    const found = roles.find(([h]) => h !== '' && h === header);
    return found ? t(found[1]) : null;
  };
  return (
    <div className="dn-matrix-scroll" role="region" aria-labelledby="usage-preview-caption" tabIndex={0}>
      <table className="kern-table kern-table--small kern-table--striped">
        <caption className="kern-title dn-matrix__caption" id="usage-preview-caption">
          {t('usage.import.previewCaption', { shown: preview.rows.length, total: preview.row_count })}
        </caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header">
              {t('usage.import.line')}
            </th>
            {preview.headers.map((h) => {
              const r = role(h);
              return (
                <th key={h} scope="col" className="kern-table__header">
                  {h}
                  {r ? <span className="kern-body kern-body--small dn-block"> ({t('usage.import.mappedAs', { role: r })})</span> : <span className="kern-body kern-body--small dn-block"> ({t('usage.import.ignored')})</span>}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {preview.rows.map((row, i) => (
            <tr key={i} className="kern-table__row">
              <th scope="row" className="kern-table__cell">
                {i + 2}
              </th>
              {preview.headers.map((h, j) => (
                <td key={h} className="kern-table__cell">
                  {row[j] ?? ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecentImports({ townId }: { townId: string }) {
  const { t, locale } = useI18n();
  const sourceLabel = (source: string) => {
    const key = sourceKeys[source];
    return key ? t(key) : source;
  };
  const imports = useQuery({ queryKey: usageKeys.imports(townId), queryFn: () => usageApi.imports(townId), enabled: townId !== '' });
  const items = imports.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="kern-stack" aria-labelledby="usage-recent-imports">
      <h2 className="kern-heading-medium" id="usage-recent-imports">
        {t('usage.import.recent')}
      </h2>
      <ul className="dn-plain-list">
        {items.map((i) => (
          <li key={i.id} className="kern-body">
            {formatDateTime(i.created_at, locale)} · {i.file_name ?? sourceLabel(i.source)} · {t('usage.import.recentLine', { rows: i.row_count, figures: i.figure_count, replaced: i.replaced_count })}
            {i.created_by_name ? ` · ${i.created_by_name}` : ''}
            {i.is_demo ? ` · ${t('usage.import.demo')}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Success({ done, townName }: { done: UsageImport; townName: string }) {
  const { t, locale } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // The import button is gone now: keep the keyboard focus on the confirmation, not on the page.
  useEffect(() => {
    ref.current?.focus();
  }, [done.id]);
  return (
    <div ref={ref} tabIndex={-1} className="dn-focus-target">
      <Alert variant="success" title={t('usage.import.done', { town: done.municipality_name || townName })}>
        <p className="kern-body">
          {t('usage.import.doneText', {
            rows: formatCount(done.row_count, false, locale),
            figures: formatCount(done.figure_count, false, locale),
            replaced: formatCount(done.replaced_count, false, locale),
          })}
        </p>
        <p className="kern-body">
          <Link className="kern-link" to={routes.usage}>
            {t('usage.import.toTown')}
          </Link>
        </p>
      </Alert>
    </div>
  );
}

export function ImportPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const scope = useTownScope();
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState('');
  const [form, setForm] = useState<MappingForm | null>(null);
  const [local, setLocal] = useState<Partial<Record<string, string>>>({});
  const [done, setDone] = useState<UsageImport | null>(null);

  const preview = useMutation({
    mutationFn: (csv: string) => usageApi.preview(csv),
    onSuccess: (p) => {
      setForm(prefillMapping(p.headers, p.suggested_mapping));
      setLocal({});
      setStep('mapping');
    },
  });
  const run = useMutation({
    mutationFn: () => {
      if (!form || !file) throw new Error('no form');
      return usageApi.import({ municipality_id: scope.townId, file_name: file.name, csv: text, mapping: toMapping(form) });
    },
    onError: (error) => {
      // A mapping column the server does not accept is fixed on the mapping step.
      if (error instanceof ApiError && (error.problem?.errors ?? []).some((x) => x.field.startsWith('mapping.'))) setStep('mapping');
    },
    onSuccess: async (result) => {
      setDone(result);
      setStep('file');
      setFile(null);
      setText('');
      setForm(null);
      await queryClient.invalidateQueries({ queryKey: usageKeys.all });
    },
  });

  const chooseFile = async (e: SyntheticEvent) => {
    e.preventDefault();
    setDone(null);
    run.reset();
    if (!file) {
      setFileError(t('usage.import.noFile'));
      return;
    }
    setFileError('');
    const content = await file.text();
    setText(content);
    preview.mutate(content);
  };

  const toPreview = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!form) return;
    const found: Partial<Record<string, string>> = {};
    for (const [field, key] of Object.entries(mappingProblems(form))) if (key) found[field] = t(key);
    setLocal(found);
    run.reset();
    if (Object.keys(found).length === 0) setStep('preview');
  };

  // The server's refusal: line/column problems of the file, or a mapping column it does not know.
  const runProblems = run.error instanceof ApiError ? (run.error.problem?.errors ?? []) : [];
  const serverErrors: SummaryError[] = runProblems.filter((x) => !x.field.startsWith('mapping.')).map((x) => ({ message: x.message }));
  const serverMappingErrors: SummaryError[] = runProblems.filter((x) => x.field.startsWith('mapping.')).map((x) => ({ message: x.message, target: fieldId(x.field) }));
  const previewErrors: SummaryError[] =
    preview.error instanceof ApiError ? (preview.error.problem?.errors ?? []).map((x) => ({ message: x.message, target: x.field === 'csv' ? 'usage-file' : undefined })) : [];
  const localErrors: SummaryError[] = Object.entries(local).flatMap(([field, message]) => (message ? [{ message, target: fieldId(field) }] : []));
  const mappingServer = run.error instanceof ApiError ? run.error.fieldErrors : {};
  const errorOf = (field: string) => local[field] ?? mappingServer[field];

  const setField = (key: keyof Omit<MappingForm, 'channels' | 'format'>, value: string) => setForm((f) => (f ? { ...f, [key]: value } : f));
  const setChannel = (c: Channel, value: string) => setForm((f) => (f ? { ...f, channels: { ...f.channels, [c]: value } } : f));

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('usage.import.title')}</PageHeading>
      <UsageNav />
      <p className="kern-body">{t('usage.import.intro')}</p>
      {scope.picker}
      {done ? <Success done={done} townName={scope.townName} /> : null}
      <ol className="dn-inline-links" aria-label={t('usage.import.steps')}>
        {(['file', 'mapping', 'preview'] as Step[]).map((s, i) => (
          <li key={s} className="kern-body" aria-current={step === s ? 'step' : undefined}>
            {step === s ? <strong>{t('usage.import.stepN', { n: i + 1, name: t(`usage.import.step.${s}`) })}</strong> : t('usage.import.stepN', { n: i + 1, name: t(`usage.import.step.${s}`) })}
          </li>
        ))}
      </ol>

      {step === 'file' ? (
        <form className="kern-stack dn-form" noValidate onSubmit={(e) => void chooseFile(e)} aria-label={t('usage.import.step.file')}>
          <ErrorSummary title={t('usage.import.fileRefused')} errors={previewErrors} />
          {preview.isError && previewErrors.length === 0 ? <Alert variant="danger" title={problemMessage(t, preview.error)} /> : null}
          <div className={`kern-form-input${fileError ? ' kern-form-input--error' : ''}`}>
            <label className="kern-label" htmlFor="usage-file">
              {t('usage.import.file')}
            </label>
            <div className="kern-hint" id="usage-file-hint">
              {t('usage.import.fileHint')}
            </div>
            {fileError ? (
              <p className="kern-error" id="usage-file-error">
                <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span className="kern-body">{fileError}</span>
              </p>
            ) : null}
            <input
              id="usage-file"
              type="file"
              accept=".csv,text/csv,text/plain"
              className="kern-form-input__input"
              aria-describedby={fileError ? 'usage-file-hint usage-file-error' : 'usage-file-hint'}
              aria-invalid={fileError ? true : undefined}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={preview.isPending || scope.townId === '' || !file}>
              <span className="kern-label">{t('usage.import.toMapping')}</span>
            </button>
          </div>
        </form>
      ) : null}

      {step === 'mapping' && form && preview.data ? (
        <form className="kern-stack dn-form" noValidate onSubmit={toPreview} aria-label={t('usage.import.step.mapping')}>
          <ErrorSummary title={t('usage.mapping.problems')} errors={[...localErrors, ...serverMappingErrors]} />
          <p className="kern-body">{t('usage.mapping.intro', { file: file?.name ?? '', rows: preview.data.row_count, delimiter: preview.data.delimiter === ';' ? t('usage.mapping.semicolon') : t('usage.mapping.comma') })}</p>
          <ColumnSelect field="mapping.leika_key" label={t('usage.mapping.leika_key')} hint={t('usage.mapping.leikaHint')} value={form.leika_key} headers={preview.data.headers} error={errorOf('mapping.leika_key')} onChange={(v) => setField('leika_key', v)} />
          <ColumnSelect field="mapping.month" label={t('usage.mapping.month')} hint={t('usage.mapping.monthHint')} value={form.month} headers={preview.data.headers} error={errorOf('mapping.month')} onChange={(v) => setField('month', v)} />
          <fieldset className="kern-fieldset">
            <legend className="kern-label">{t('usage.mapping.format')}</legend>
            <div className="kern-fieldset__body">
              <RadioField name="usage-format" label={t('usage.mapping.long')} hint={t('usage.mapping.longHint')} checked={form.format === 'long'} onChange={() => setForm({ ...form, format: 'long' })} />
              <RadioField name="usage-format" label={t('usage.mapping.wide')} hint={t('usage.mapping.wideHint')} checked={form.format === 'wide'} onChange={() => setForm({ ...form, format: 'wide' })} />
            </div>
          </fieldset>
          {form.format === 'long' ? (
            <>
              <ColumnSelect field="mapping.channel" label={t('usage.mapping.channel')} hint={t('usage.mapping.channelHint')} value={form.channel} headers={preview.data.headers} error={errorOf('mapping.channel')} onChange={(v) => setField('channel', v)} />
              <ColumnSelect field="mapping.count" label={t('usage.mapping.count')} value={form.count} headers={preview.data.headers} error={errorOf('mapping.count')} onChange={(v) => setField('count', v)} />
            </>
          ) : (
            channels.map((c) => (
              <ColumnSelect
                key={c}
                field={`mapping.channels.${c}`}
                label={t('usage.mapping.channelColumn', { channel: t(channelLabel[c] ?? 'usage.channel.online') })}
                value={form.channels[c]}
                headers={preview.data.headers}
                error={errorOf(`mapping.channels.${c}`)}
                optional
                onChange={(v) => setChannel(c, v)}
              />
            ))
          )}
          <ColumnSelect field="mapping.ozg_id" label={t('usage.mapping.ozg_id')} value={form.ozg_id} headers={preview.data.headers} error={errorOf('mapping.ozg_id')} optional onChange={(v) => setField('ozg_id', v)} />
          <ColumnSelect field="mapping.median_days" label={t('usage.mapping.median_days')} value={form.median_days} headers={preview.data.headers} error={errorOf('mapping.median_days')} optional onChange={(v) => setField('median_days', v)} />
          <ColumnSelect field="mapping.backlog" label={t('usage.mapping.backlog')} value={form.backlog} headers={preview.data.headers} error={errorOf('mapping.backlog')} optional onChange={(v) => setField('backlog', v)} />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary">
              <span className="kern-label">{t('usage.import.toPreview')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => setStep('file')}>
              <span className="kern-label">{t('usage.import.back')}</span>
            </button>
          </div>
        </form>
      ) : null}

      {step === 'preview' && form && preview.data ? (
        <form
          className="kern-stack"
          noValidate
          aria-label={t('usage.import.step.preview')}
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate();
          }}
        >
          <ErrorSummary
            title={t('usage.import.refused')}
            errors={serverErrors}
          />
          {run.isError && serverErrors.length === 0 ? <Alert variant="danger" title={problemMessage(t, run.error)} /> : null}
          <p className="kern-body">{t('usage.import.check', { rows: preview.data.row_count, town: scope.townName })}</p>
          <PreviewTable preview={preview.data} form={form} />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={run.isPending}>
              <span className="kern-label">{t('usage.import.run')}</span>
            </button>
            <button
              type="button"
              className="kern-btn kern-btn--secondary"
              onClick={() => {
                run.reset();
                setStep('mapping');
              }}
            >
              <span className="kern-label">{t('usage.import.backToMapping')}</span>
            </button>
            <button
              type="button"
              className="kern-btn kern-btn--tertiary"
              onClick={() => {
                run.reset();
                setStep('file');
              }}
            >
              <span className="kern-label">{t('action.cancel')}</span>
            </button>
          </div>
        </form>
      ) : null}
      <RecentImports townId={scope.townId} />
    </div>
  );
}
