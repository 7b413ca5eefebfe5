// A bar chart (recharts) with the same numbers as a table: visually hidden for screen
// readers while the chart shows, visible after "Als Tabelle anzeigen"; CSV download.
import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useT } from '@/lib/i18n';
import { downloadCsv } from './csv';

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
}

export function ChartCard({ title, summary, rowHeader, series, rows, filename, stacked, horizontal }: Props) {
  const t = useT();
  const headingId = useId();
  const [asTable, setAsTable] = useState(false);
  const showTotal = series.length > 1;
  const total = (r: ChartRow) => series.reduce((sum, s) => sum + (r.values[s.key] ?? 0), 0);
  const header = [rowHeader, ...series.map((s) => s.label), ...(showTotal ? [t('dashboard.total')] : [])];
  const csvRows = rows.map((r) => [r.label, ...series.map((s) => r.values[s.key] ?? 0), ...(showTotal ? [total(r)] : [])]);
  const data = rows.map((r) => ({ name: r.label, ...r.values }));
  const height = horizontal ? Math.max(200, rows.length * 34 + 60) : 280;
  return (
    <section className="dn-chart kern-stack" aria-labelledby={headingId}>
      <h3 className="kern-heading-small" id={headingId}>
        {title}
      </h3>
      {summary ? <p className="kern-body">{summary}</p> : null}
      {rows.length === 0 ? (
        <p className="kern-body">{t('dashboard.noData')}</p>
      ) : (
        <>
          {!asTable ? (
            <div className="dn-chart__canvas" aria-hidden="true">
              <ResponsiveContainer width="100%" height={height}>
                <BarChart data={data} layout={horizontal ? 'vertical' : 'horizontal'} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  {horizontal ? (
                    <>
                      <XAxis type="number" allowDecimals={false} />
                      <YAxis type="category" dataKey="name" width={170} />
                    </>
                  ) : (
                    <>
                      <XAxis dataKey="name" />
                      <YAxis allowDecimals={false} />
                    </>
                  )}
                  <Tooltip />
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
                      <td key={s.key} className="kern-table__cell kern-table__cell--numeric">{r.values[s.key] ?? 0}</td>
                    ))}
                    {showTotal ? <td className="kern-table__cell kern-table__cell--numeric">{total(r)}</td> : null}
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
              onClick={() => downloadCsv(filename, header, csvRows)}
            >
              <span className="kern-icon kern-icon--download" aria-hidden="true" />
              <span className="kern-label">{t('action.forItem', { action: t('dashboard.csv'), item: title })}</span>
            </button>
          </div>
        </>
      )}
    </section>
  );
}
