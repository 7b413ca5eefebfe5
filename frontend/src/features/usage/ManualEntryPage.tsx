// /nutzung/erfassen: a month's paper, counter, e-mail and phone cases per service in a small
// grid, for the figures no system counts. Online cases come from imports and the push API.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, PageHeading, QueryState, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useI18n } from '@/lib/i18n';
import { usageApi } from './api';
import { ErrorSummary, type SummaryError } from './ErrorSummary';
import { usageKeys } from './queries';
import { channelLabel, formatCount, formatMonth } from './share';
import { useTownScope } from './townScope';
import { cellId, previousMonth, toEntries, type Values } from './grid';
import { offlineChannels, type ManualEntry, type ManualRow, type OfflineChannel } from './types';
import { UsageNav } from './UsageNav';
import './usage.css';

function AddService({ onAdd }: { onAdd: (row: ManualRow) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const found = useQuery({ queryKey: ['usage', 'services', search], queryFn: () => usageApi.services(search), enabled: search.length >= 2 });
  return (
    <section className="kern-stack" aria-labelledby="manual-add">
      <h2 className="kern-heading-small" id="manual-add">
        {t('usage.manual.add')}
      </h2>
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
              <li key={s.leika_key} className="kern-body">
                <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => onAdd({ leika_key: s.leika_key, service_name: s.name })}>
                  <span className="kern-label">{t('usage.manual.addOne', { name: s.name, key: s.leika_key })}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="kern-body">{t('usage.manual.noneFound')}</p>
        )
      ) : null}
    </section>
  );
}

function Grid({ townId, month, initial }: { townId: string; month: string; initial: ManualRow[] }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<ManualRow[]>(initial);
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(initial.map((r) => [r.leika_key, Object.fromEntries(offlineChannels.map((c) => [c, r[c] === null || r[c] === undefined ? '' : String(r[c])]))])),
  );
  const [local, setLocal] = useState<SummaryError[]>([]);
  const [cells, setCells] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (entries: ManualEntry[]) => usageApi.saveManual({ municipality_id: townId, month, entries }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usageKeys.all });
    },
  });
  const serverErrors: SummaryError[] =
    save.error instanceof ApiError
      ? (save.error.problem?.errors ?? []).map((e) => {
          const index = /^entries\[(\d+)\]/.exec(e.field)?.[1];
          return { message: e.message, target: index === undefined ? undefined : cells[Number(index)] };
        })
      : [];
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const { entries, cells: used, invalid } = toEntries(rows, values);
    const problems = invalid.map((id) => ({ message: t('usage.manual.invalid', { cell: document.getElementById(id)?.getAttribute('aria-label') ?? id }), target: id }));
    setLocal(problems);
    setCells(used);
    if (problems.length === 0) save.mutate(entries);
  };
  const set = (key: string, channel: OfflineChannel, value: string) => {
    save.reset();
    setValues((v) => ({ ...v, [key]: { ...v[key], [channel]: value } }));
  };
  return (
    <form className="kern-stack" noValidate onSubmit={submit} aria-label={t('usage.manual.formLabel', { month: formatMonth(month, locale) })}>
      <ErrorSummary title={t('usage.manual.problems')} errors={[...local, ...serverErrors]} />
      {save.isError && serverErrors.length === 0 ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
      {save.isSuccess ? (
        <Alert variant="success" title={t('usage.manual.saved', { month: formatMonth(month, locale) })}>
          <p className="kern-body">{t('usage.manual.savedText', { saved: save.data.saved, replaced: save.data.replaced })}</p>
        </Alert>
      ) : null}
      {rows.length === 0 ? <p className="kern-body">{t('usage.manual.empty')}</p> : null}
      {rows.length ? (
        <div className="dn-matrix-scroll" role="region" aria-labelledby="manual-caption" tabIndex={0}>
          <table className="kern-table kern-table--small">
            <caption className="kern-title dn-matrix__caption" id="manual-caption">
              {t('usage.manual.caption', { month: formatMonth(month, locale) })}
            </caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">
                  {t('usage.field.service')}
                </th>
                {offlineChannels.map((c) => (
                  <th key={c} scope="col" className="kern-table__header">
                    {t(channelLabel[c] ?? 'usage.channel.paper')}
                  </th>
                ))}
                <th scope="col" className="kern-table__header kern-table__header--numeric">
                  {t('usage.manual.onlineReadOnly')}
                </th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {rows.map((r) => (
                <tr key={r.leika_key} className="kern-table__row">
                  <th scope="row" className="kern-table__cell">
                    {r.service_name}
                    <span className="kern-body kern-body--small dn-block">{r.leika_key}</span>
                  </th>
                  {offlineChannels.map((c) => (
                    <td key={c} className="kern-table__cell">
                      <input
                        id={cellId(r.leika_key, c)}
                        className="kern-form-input__input dn-grid-input"
                        inputMode="numeric"
                        autoComplete="off"
                        aria-label={t('usage.manual.cellLabel', { service: r.service_name, channel: t(channelLabel[c] ?? 'usage.channel.paper') })}
                        value={values[r.leika_key]?.[c] ?? ''}
                        onChange={(e) => set(r.leika_key, c, e.target.value)}
                      />
                    </td>
                  ))}
                  <td className="kern-table__cell kern-table__cell--numeric">{formatCount(r.online, false, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <AddService onAdd={(row) => setRows((rs) => (rs.some((x) => x.leika_key === row.leika_key) ? rs : [...rs, row]))} />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending || rows.length === 0}>
          <span className="kern-label">{t('usage.manual.save')}</span>
        </button>
      </div>
    </form>
  );
}

export function ManualEntryPage() {
  const { t } = useI18n();
  const scope = useTownScope();
  const [month, setMonth] = useState(previousMonth);
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const grid = useQuery({
    queryKey: usageKeys.manual(scope.townId, month),
    queryFn: () => usageApi.manualGrid(scope.townId, month),
    enabled: scope.townId !== '' && valid,
  });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('usage.manual.title')}</PageHeading>
      <UsageNav />
      <p className="kern-body">{t('usage.manual.intro')}</p>
      {scope.picker}
      <div className="dn-filters">
        <TextField label={t('usage.field.month')} type="month" placeholder="2025-03" value={month} onChange={(e) => setMonth(e.target.value)} />
      </div>
      {valid && scope.townId ? (
        <QueryState query={grid}>{(g) => <Grid key={`${scope.townId}-${month}`} townId={scope.townId} month={month} initial={g.rows} />}</QueryState>
      ) : null}
    </div>
  );
}
