// One service's months as a line chart (online against the other channels, recharts) with
// the same figures as a table: visually hidden while the chart shows, for screen readers;
// visible after "Als Tabelle anzeigen". Masked counts read "< 5" in the table.
import { useId, useState, type ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAxisNumber } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { chartPoints } from './series';
import { channelLabel, formatCount, formatMonth, formatShare } from './share';
import { channels, type ServiceSeries } from './types';

interface Props {
  service: ServiceSeries;
  /** The CSV download of this service (rendered next to the table toggle). */
  csv: ReactNode;
}

export function SeriesChart({ service, csv }: Props) {
  const { t, locale } = useI18n();
  const headingId = useId();
  const [asTable, setAsTable] = useState(false);
  const data = chartPoints(service.points).map((p) => ({ ...p, label: formatMonth(p.month, locale, 'short') }));
  const title = service.service_name;
  return (
    <div className="kern-stack">
      {!asTable ? (
        <div className="dn-chart__canvas" aria-hidden="true">
          <ResponsiveContainer width="100%" height={260}>
            <LineChart
              data={data}
              margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
              // Hidden from assistive technology (the table says the same), so no keyboard focus
              // inside either (axe aria-hidden-focus).
              accessibilityLayer={false}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis yAxisId="count" allowDecimals={false} width={60} tickFormatter={(v: number) => formatAxisNumber(v, locale)} />
              <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit=" %" width={56} />
              <Tooltip />
              <Legend />
              <Line yAxisId="count" type="monotone" dataKey="online" name={t('usage.series.online')} stroke="#0072B2" strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
              <Line
                yAxisId="count"
                type="monotone"
                dataKey="other"
                name={t('usage.series.other')}
                stroke="#D55E00"
                strokeWidth={2}
                strokeDasharray="6 3"
                dot
                isAnimationActive={false}
                connectNulls={false}
              />
              <Line
                yAxisId="share"
                type="monotone"
                dataKey="share"
                name={t('usage.series.share')}
                stroke="#009E73"
                strokeWidth={2}
                strokeDasharray="2 3"
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      ) : null}
      <div className={asTable ? 'kern-table-responsive' : 'kern-sr-only'}>
        <table className="kern-table kern-table--small kern-table--striped" aria-labelledby={headingId}>
          <caption className="kern-sr-only" id={headingId}>
            {t('usage.series.caption', { service: title })}
          </caption>
          <thead className="kern-table__header">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">
                {t('usage.field.month')}
              </th>
              {channels.map((c) => (
                <th key={c} scope="col" className="kern-table__header kern-table__header--numeric">
                  {t(channelLabel[c] ?? 'usage.channel.online')}
                </th>
              ))}
              <th scope="col" className="kern-table__header kern-table__header--numeric">
                {t('usage.field.total')}
              </th>
              <th scope="col" className="kern-table__header kern-table__header--numeric">
                {t('usage.field.share')}
              </th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {service.points.map((p) => (
              <tr key={p.month} className="kern-table__row">
                <th scope="row" className="kern-table__cell">
                  {formatMonth(p.month, locale)}
                </th>
                {channels.map((c) => (
                  <td key={c} className="kern-table__cell kern-table__cell--numeric">
                    {formatCount(p[c], p[`${c}_masked`], locale)}
                  </td>
                ))}
                <td className="kern-table__cell kern-table__cell--numeric">{formatCount(p.total, p.total_masked, locale)}</td>
                <td className="kern-table__cell kern-table__cell--numeric">{formatShare(p.online_share, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="kern-btn-wrapper dn-actions">
        <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setAsTable((v) => !v)}>
          <span className="kern-label">
            {t('action.forItem', { action: asTable ? t('dashboard.showChart') : t('dashboard.showTable'), item: title })}
          </span>
        </button>
        {csv}
      </div>
    </div>
  );
}
