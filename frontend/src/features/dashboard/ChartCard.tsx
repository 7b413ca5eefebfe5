// A bar chart (recharts) with the same numbers as a table: visually hidden for screen
// readers while the chart shows, visible after "Als Tabelle anzeigen"; CSV download.
import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAxisNumber } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { downloadCsv, type CsvCell } from './csv';
import { downloadXlsx } from './xlsx';

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface ChartRow {
  label: string;
  values: Record<string, number>;
}

interface Props {
  title: string;
  /** The key numbers in words, shown above the chart. */
  summary?: string;
  /** Header of the first column (what the rows are). */
  rowHeader: string;
  series: Series[];
  rows: ChartRow[];
  filename: string;
  stacked?: boolean;
  /** Draw the bars horizontally (long row labels). */
  horizontal?: boolean;
  /** How a value reads in the table and the tooltip (default: the number as it is), e.g. an amount in euros. */
  format?: (value: number) => string;
  /** A shorter form for the value axis (default: `format`, else the number grouped as in the locale). */
  axisFormat?: (value: number) => string;
  /** How a value goes into the CSV (default: the number as it is). */
  csvValue?: (value: number) => CsvCell;
  /** Unit of the series in the CSV header, e.g. "EUR" → "Beantragt (EUR)". */
  csvUnit?: string;
  /** Leave out the total column, for series that do not add up (requested vs approved). */
  noTotal?: boolean;
  /** The text when there are no rows (default: "Noch keine Daten."). */
  empty?: string;
}

export function ChartCard({ title, summary, rowHeader, series, rows, filename, stacked, horizontal, format, axisFormat, csvValue, csvUnit, noTotal, empty }: Props) {
  const { t, locale } = useI18n();
  const headingId = useId();
  const [asTable, setAsTable] = useState(false);
  const showTotal = series.length > 1 && !noTotal;
  const shown = format ?? ((v: number) => String(v));
  const tick = axisFormat ?? format ?? ((v: number) => formatAxisNumber(v, locale));
  const toCsv = csvValue ?? ((v: number) => v);
  const total = (r: ChartRow) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0);
  const header = [rowHeader, ...series.map((s) => s.label), ...(showTotal ? [t('dashboard.total')] : [])];
  const csvHeader = csvUnit ? [rowHeader, ...series.map((s) => `${s.label} (${csvUnit})`), ...(showTotal ? [`${t('dashboard.total')} (${csvUnit})`] : [])] : header;
  const csvRows = rows.map((r) => [r.label, ...series.map((s) => toCsv(r.values[s.key] ?? 0)), ...(showTotal ? [toCsv(total(r))] : [])]);
  const data = rows.map((r) => ({ name: r.label, ...r.values }));
  const height = horizontal ? Math.max(200, rows.length * 34 + 60) : 280;
  return (
    <section className="dn-chart kern-stack" aria-labelledby={headingId}>
      <h3 className="kern-heading-small" id={headingId}>
        {title}
      </h3>
      {summary ? <p className="kern-body">{summary}</p> : null}
      {rows.length === 0 ? (
        <p className="kern-body">{empty ?? t('dashboard.noData')}</p>
      ) : (
        <>
          {!asTable ? (
            <div className="dn-chart__canvas" aria-hidden="true">
              <ResponsiveContainer width="100%" height={height}>
                <BarChart
                  data={data}
                  layout={horizontal ? 'vertical' : 'horizontal'}
                  margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
                  // The chart is hidden from assistive technology (the table says the same), so it
                  // must not take keyboard focus either (axe aria-hidden-focus).
                  accessibilityLayer={false}
                >
                  <CartesianGrid strokeDasharray="3 3" />
                  {horizontal ? (
                    <>
                      <XAxis type="number" allowDecimals={false} tickFormatter={tick} />
                      <YAxis type="category" dataKey="name" width={170} />
                    </>
                  ) : (
                    <>
                      <XAxis dataKey="name" />
                      <YAxis allowDecimals={false} tickFormatter={tick} width={axisFormat ?? format ? 90 : 60} />
                    </>
                  )}
                  <Tooltip formatter={format ? (value) => (typeof value === 'number' ? format(value) : String(value ?? '')) : undefined} />
                  {series.length > 1 ? <Legend /> : null}
                  {series.map((s) => (
                    <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? 'all' : undefined} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </div>
          ) : null}
          <div className={asTable ? 'kern-table-responsive' : 'kern-sr-only'}>
            <table className="kern-table kern-table--small kern-table--striped">
              <caption className="kern-sr-only">{title}</caption>
              <thead className="kern-table__header">
                <tr className="kern-table__row">
                  {header.map((h, i) => (
                    <th key={h} scope="col" className={`kern-table__header${i ? ' kern-table__header--numeric' : ''}`}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {rows.map((r) => (
                  <tr key={r.label} className="kern-table__row">
                    <th scope="row" className="kern-table__cell">{r.label}</th>
                    {series.map((s) => (
                      <td key={s.key} className="kern-table__cell kern-table__cell--numeric">{shown(r.values[s.key] ?? 0)}</td>
                    ))}
                    {showTotal ? <td className="kern-table__cell kern-table__cell--numeric">{shown(total(r))}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="kern-btn-wrapper dn-actions">
            <button
              type="button"
              className="kern-btn kern-btn--tertiary kern-btn--x-small"
              onClick={() => setAsTable((v) => !v)}
            >
              <span className="kern-label">{t('action.forItem', { action: asTable ? t('dashboard.showChart') : t('dashboard.showTable'), item: title })}</span>
            </button>
            <button
              type="button"
              className="kern-btn kern-btn--tertiary kern-btn--x-small"
              onClick={() => downloadCsv(filename, csvHeader, csvRows)}
            >
              <span className="kern-icon kern-icon--download" aria-hidden="true" />
              <span className="kern-label">{t('action.forItem', { action: t('dashboard.csv'), item: title })}</span>
            </button>
            <button
              type="button"
              className="kern-btn kern-btn--tertiary kern-btn--x-small"
              onClick={() => void downloadXlsx(filename.replace(/\.csv$/, '.xlsx'), csvHeader, csvRows)}
            >
              <span className="kern-icon kern-icon--download" aria-hidden="true" />
              <span className="kern-label">{t('action.forItem', { action: t('dashboard.xlsx'), item: title })}</span>
            </button>
          </div>
        </>
      )}
    </section>
  );
}
