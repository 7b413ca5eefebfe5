// /nutzung/kreis: the district compared — a heat map of services × towns coloured by online
// share (counts in the cells, "< 5" where the server masks), its legend and a list as table
// alternative; the district's totals, the "Potenzial" ranking and the "Auffällig" list; CSVs.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, PageHeading, Pagination, QueryState, useDistrictScope } from '@/components';
import { useI18n } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { usageApi, type Period } from './api';
import { CsvButton } from './CsvButton';
import { PeriodFilter, usePeriod } from './PeriodFilter';
import { usageKeys } from './queries';
import { bucketLabel, buckets, channelLabel, formatCount, formatMonth, formatShare, noShare, shareBucket } from './share';
import { channels, type AnomalyItem, type Heatmap, type HeatmapCell, type PotentialItem, type Totals } from './types';
import { UsageNav } from './UsageNav';
import './usage.css';


function HeatLegend() {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="heat-legend" className="kern-stack">
      <h3 className="kern-heading-small" id="heat-legend">
        {t('usage.legend.title')}
      </h3>
      <ul className="dn-legend">
        {buckets.map((b) => (
          <li key={b.from} className="dn-legend__item kern-body">
            <span className="dn-swatch" style={{ background: b.background }} aria-hidden="true" />
            {bucketLabel(t, b, locale)}
          </li>
        ))}
        <li className="dn-legend__item kern-body">
          <span className="dn-swatch" style={{ background: noShare.background }} aria-hidden="true" />
          {t('usage.legend.none')}
        </li>
      </ul>
      <p className="kern-body kern-body--small">{t('usage.legend.masked')}</p>
    </section>
  );
}

function HeatCell({ cell, town, service }: { cell: HeatmapCell | undefined; town: string; service: string }) {
  const { t, locale } = useI18n();
  if (!cell) {
    return (
      <td className="kern-table__cell dn-heat__cell dn-heat__cell--empty">
        <span aria-hidden="true">–</span>
        <span className="kern-sr-only">{t('usage.heat.noFigures')}</span>
      </td>
    );
  }
  const bucket = shareBucket(cell.online_share);
  return (
    <td
      className="kern-table__cell dn-heat__cell"
      style={{ background: bucket.background, color: bucket.text }}
      data-testid={`heat-${town}-${service}`}
    >
      <span className="dn-heat__share">{formatShare(cell.online_share, locale)}</span>
      <span className="dn-heat__count">
        {t('usage.heat.cases', { total: formatCount(cell.total, cell.total_masked, locale) })}
      </span>
    </td>
  );
}

function HeatTable({ heat }: { heat: Heatmap }) {
  const { t } = useI18n();
  const byKey = new Map(heat.cells.map((c) => [`${c.municipality_id}|${c.leika_key}`, c]));
  return (
    <div className="dn-matrix-scroll" role="region" aria-labelledby="heat-caption" tabIndex={0}>
      <table className="kern-table kern-table--small dn-heat">
        <caption className="kern-title dn-matrix__caption" id="heat-caption">
          {t('usage.heat.caption')}
        </caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header dn-heat__service">
              {t('usage.field.service')}
            </th>
            {heat.towns.map((town) => (
              <th key={town.id} scope="col" className="kern-table__header dn-heat__town">
                <Link className="kern-link" to={`${routes.usage}?kommune=${encodeURIComponent(town.id)}`}>
                  {town.name}
                </Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {heat.services.map((s) => (
            <tr key={s.leika_key} className="kern-table__row">
              <th scope="row" className="kern-table__cell dn-heat__service">
                {s.name}
              </th>
              {heat.towns.map((town) => (
                <HeatCell key={town.id} cell={byKey.get(`${town.id}|${s.leika_key}`)} town={town.name} service={s.leika_key} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The table alternative: one line per town and service that has figures. */
function HeatList({ heat }: { heat: Heatmap }) {
  const { t, locale } = useI18n();
  const town = new Map(heat.towns.map((x) => [x.id, x.name]));
  const service = new Map(heat.services.map((x) => [x.leika_key, x.name]));
  return (
    <div className="kern-table-responsive">
      <table className="kern-table kern-table--small kern-table--striped">
        <caption className="kern-sr-only">{t('usage.heat.listCaption')}</caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header">{t('usage.field.service')}</th>
            <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{t('usage.field.total')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{t('usage.channel.online')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{t('usage.field.share')}</th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {heat.cells.map((c) => (
            <tr key={`${c.municipality_id}|${c.leika_key}`} className="kern-table__row">
              <th scope="row" className="kern-table__cell">{service.get(c.leika_key) ?? c.leika_key}</th>
              <td className="kern-table__cell">{town.get(c.municipality_id) ?? ''}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{formatCount(c.total, c.total_masked, locale)}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{formatCount(c.online, c.online_masked, locale)}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{formatShare(c.online_share, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HeatSection({ districtId, period }: { districtId: string; period: Period }) {
  const { t, locale } = useI18n();
  const [page, setPage] = useState(1);
  const [asList, setAsList] = useState(false);
  const heat = useQuery({
    queryKey: usageKeys.district(districtId, 'heatmap', period.from ?? '', period.to ?? '', page),
    queryFn: () => usageApi.heatmap(districtId, period, page),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="kern-stack" aria-labelledby="heat-title">
      <h2 className="kern-heading-medium" id="heat-title">
        {t('usage.heat.title')}
      </h2>
      <QueryState query={heat} isEmpty={(h) => h.cells.length === 0} empty={<p className="kern-body">{t('usage.district.empty')}</p>}>
        {(h) => (
          <>
            <p className="kern-body">{t('usage.district.period', { from: formatMonth(h.from, locale), to: formatMonth(h.to, locale) })}</p>
            <HeatLegend />
            {asList ? <HeatList heat={h} /> : <HeatTable heat={h} />}
            <div className="kern-btn-wrapper dn-actions">
              <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setAsList((v) => !v)}>
                <span className="kern-label">{asList ? t('usage.heat.showMap') : t('usage.heat.showList')}</span>
              </button>
              <CsvButton baseName="nutzung-heatmap" item={t('usage.heat.title')} fetch={() => usageApi.districtCsv(districtId, 'heatmap', period)} />
            </div>
            {h.total > h.limit ? <Pagination page={h.page} limit={h.limit} total={h.total} onPageChange={setPage} label={t('usage.heat.pages')} /> : null}
          </>
        )}
      </QueryState>
    </section>
  );
}

function TotalsSection({ districtId, period }: { districtId: string; period: Period }) {
  const { t, locale } = useI18n();
  const totals = useQuery({
    queryKey: usageKeys.district(districtId, 'totals', period.from ?? '', period.to ?? ''),
    queryFn: () => usageApi.totals(districtId, period),
  });
  const cols = [...channels, 'total'] as const;
  const label = (c: (typeof cols)[number]) => (c === 'total' ? t('usage.field.total') : t(channelLabel[c] ?? 'usage.channel.online'));
  return (
    <section className="kern-stack" aria-labelledby="totals-title">
      <h2 className="kern-heading-medium" id="totals-title">
        {t('usage.totals.title')}
      </h2>
      <QueryState query={totals} isEmpty={(x: Totals) => x.sum.total === 0} empty={<p className="kern-body">{t('usage.district.empty')}</p>}>
        {(x) => (
          <>
            <p className="kern-body" data-testid="usage-totals">
              {t('usage.totals.summary', { total: formatCount(x.sum.total, false, locale), online: formatCount(x.sum.online, false, locale), share: formatShare(x.sum.online_share, locale) })}
            </p>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--small kern-table--striped">
                <caption className="kern-sr-only">{t('usage.totals.title')}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('usage.field.month')}</th>
                    {cols.map((c) => (
                      <th key={c} scope="col" className="kern-table__header kern-table__header--numeric">{label(c)}</th>
                    ))}
                    <th scope="col" className="kern-table__header kern-table__header--numeric">{t('usage.field.share')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--numeric">{t('usage.totals.reporting')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {x.months.map((m) => (
                    <tr key={m.month} className="kern-table__row">
                      <th scope="row" className="kern-table__cell">{formatMonth(m.month, locale)}</th>
                      {cols.map((c) => (
                        <td key={c} className="kern-table__cell kern-table__cell--numeric">{formatCount(m[c], false, locale)}</td>
                      ))}
                      <td className="kern-table__cell kern-table__cell--numeric">{formatShare(m.online_share, locale)}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{m.towns_reporting}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot className="kern-table__footer">
                  <tr className="kern-table__row">
                    <th scope="row" className="kern-table__cell">{t('usage.totals.sum')}</th>
                    {cols.map((c) => (
                      <td key={c} className="kern-table__cell kern-table__cell--numeric">{formatCount(x.sum[c], false, locale)}</td>
                    ))}
                    <td className="kern-table__cell kern-table__cell--numeric">{formatShare(x.sum.online_share, locale)}</td>
                    <td className="kern-table__cell" />
                  </tr>
                </tfoot>
              </table>
            </div>
            <div className="kern-btn-wrapper dn-actions">
              <CsvButton baseName="nutzung-summen" item={t('usage.totals.title')} fetch={() => usageApi.districtCsv(districtId, 'totals', period)} />
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

/** The towns behind a Potenzial item. */
function townsOf(item: PotentialItem): string {
  return item.town_names.join(', ');
}

function PotentialSection({ districtId, period }: { districtId: string; period: Period }) {
  const { t, locale } = useI18n();
  const potential = useQuery({
    queryKey: usageKeys.district(districtId, 'potential', period.from ?? '', period.to ?? ''),
    queryFn: () => usageApi.potential(districtId, period),
  });
  return (
    <section className="kern-stack" aria-labelledby="potential-title">
      <h2 className="kern-heading-medium" id="potential-title">
        {t('usage.potential.title')}
      </h2>
      <p className="kern-body">{t('usage.potential.intro')}</p>
      <QueryState query={potential} isEmpty={(p) => p.items.length === 0} empty={<p className="kern-body">{t('usage.potential.empty')}</p>}>
        {(p) => (
          <>
            <ol className="kern-stack" aria-labelledby="potential-title">
              {p.items.map((i) => (
                <li key={i.leika_key} className="kern-body">
                  <strong>{i.service_name}</strong>: {t('usage.potential.line', { share: formatShare(i.paper_share, locale), paper: formatCount(i.paper, false, locale), total: formatCount(i.total, false, locale), online: formatShare(i.online_share, locale) })}
                  <span className="dn-block kern-body--small">{townsOf(i) ? t('usage.potential.towns', { towns: townsOf(i) }) : t('usage.potential.townCount', { count: i.towns })}</span>
                </li>
              ))}
            </ol>
            <div className="kern-btn-wrapper dn-actions">
              <CsvButton baseName="nutzung-potenzial" item={t('usage.potential.title')} fetch={() => usageApi.districtCsv(districtId, 'potential', period)} />
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

function anomalyText(t: ReturnType<typeof useI18n>['t'], locale: ReturnType<typeof useI18n>['locale'], a: AnomalyItem): string {
  if (a.kind === 'live_without_online') {
    return t('usage.anomaly.liveWithoutOnline', { solution: a.efa_solution_name ?? '' });
  }
  const steps = a.months.map((m, i) => `${formatMonth(m, locale, 'short')}: ${formatShare(a.shares[i], locale)}`).join(' → ');
  return t('usage.anomaly.falling', { steps });
}

function AnomaliesSection({ districtId, period }: { districtId: string; period: Period }) {
  const { t, locale } = useI18n();
  const anomalies = useQuery({
    queryKey: usageKeys.district(districtId, 'anomalies', '', period.to ?? ''),
    queryFn: () => usageApi.anomalies(districtId, period),
  });
  return (
    <section className="kern-stack" aria-labelledby="anomalies-title">
      <h2 className="kern-heading-medium" id="anomalies-title">
        {t('usage.anomaly.title')}
      </h2>
      <p className="kern-body">{t('usage.anomaly.intro')}</p>
      <QueryState query={anomalies} isEmpty={(p) => p.items.length === 0} empty={<p className="kern-body">{t('usage.anomaly.empty')}</p>}>
        {(p) => (
          <>
            <ul className="kern-stack" aria-labelledby="anomalies-title">
              {p.items.map((a) => (
                <li key={`${a.kind}-${a.municipality_id}-${a.leika_key}`} className="kern-body">
                  <strong>
                    {a.municipality_name} – {a.service_name}
                  </strong>
                  : {anomalyText(t, locale, a)}
                </li>
              ))}
            </ul>
            <div className="kern-btn-wrapper dn-actions">
              <CsvButton baseName="nutzung-auffaellig" item={t('usage.anomaly.title')} fetch={() => usageApi.districtCsv(districtId, 'anomalies', period)} />
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

export function DistrictUsagePage() {
  const { t } = useI18n();
  const scope = useDistrictScope();
  const [period, setPeriod] = usePeriod();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{scope.districtName ? t('usage.district.title', { district: scope.districtName }) : t('usage.nav.district')}</PageHeading>
      <UsageNav />
      <p className="kern-body">{t('usage.district.intro')}</p>
      {scope.picker}
      <PeriodFilter period={period} onChange={setPeriod} />
      {scope.districtId ? (
        <>
          <HeatSection key={`${scope.districtId}-${period.from ?? ''}-${period.to ?? ''}`} districtId={scope.districtId} period={period} />
          <PotentialSection districtId={scope.districtId} period={period} />
          <AnomaliesSection districtId={scope.districtId} period={period} />
          <TotalsSection districtId={scope.districtId} period={period} />
        </>
      ) : (
        <EmptyState />
      )}
    </div>
  );
}
