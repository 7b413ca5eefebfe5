// /: the start page. Coordinators and admins see the district dashboard, towns their own.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, type ComponentProps } from 'react';
import { Link } from 'react-router';
import { Loading, PageHeading, QueryState, useDistrictScope } from '@/components';
import { can, useMe } from '@/lib/auth';
import { formatMinutes } from '@/lib/duration';
import { formatDateTime } from '@/lib/format';
import { centsToSpreadsheetEuro, formatEuro, formatEuroCompact } from '@/lib/money';
import { useI18n, useT, type Locale, type TFunction } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { dashboardApi, type Activity, type DistrictDashboard, type TownDashboard } from './api';
import type { ChartRow } from './ChartCard';
import { fundingRows, fundingSummary } from './funding';
import { TodaySection } from './TodaySection';
import { UsageBlock } from './UsageBlock';

// The charting library is big: it loads in its own chunk, after the key numbers.
const LazyChartCard = lazy(() => import('./ChartCard').then((m) => ({ default: m.ChartCard })));

function ChartCard(props: ComponentProps<typeof LazyChartCard>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazyChartCard {...props} />
    </Suspense>
  );
}
import {
  adoptionStatusKeys,
  adoptionStatusLabel,
  measureStatusLabel,
  orderedEntries,
  palette,
  projectStatusKeys,
  projectStatusLabel,
  supportStatusLabel,
  verbLabel,
} from './labels';

const day = () => new Date().toISOString().slice(0, 10);

function percent(value: number, locale: Locale): string {
  return `${new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(value)} %`;
}

function Numbers({ items }: { items: { label: string; value: string; testId?: string }[] }) {
  return (
    <dl className="dn-numbers">
      {items.map((i) => (
        <div key={i.label} className="dn-numbers__item" data-testid={i.testId}>
          <dt className="kern-body kern-body--small">{i.label}</dt>
          <dd className="kern-heading-medium">{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Progress({ label, done, total, value, text }: { label: string; done: number; total: number; value: number; text: string }) {
  return (
    <div className="dn-progress-line">
      <progress className="dn-progress" max={100} value={total ? value : 0} aria-label={label} data-done={done} />
      <span className="kern-body kern-body--small">{text}</span>
    </div>
  );
}

function ActivityList({ items, title }: { items: Activity[]; title: string }) {
  const { t, locale } = useI18n();
  return (
    <section className="kern-stack" aria-labelledby="activity">
      <h2 className="kern-heading-medium" id="activity">
        {title}
      </h2>
      {items.length ? (
        <ul className="dn-plain-list">
          {items.map((a, i) => (
            <li key={`${a.object_id}-${a.created_at}-${i}`} className="kern-body">
              <span className="kern-body--small">{formatDateTime(a.created_at, locale)}</span> ·{' '}
              {a.actor_name ?? t('projects.someone')}
              {a.municipality_name ? ` (${a.municipality_name})` : ''}: {verbLabel(t, a.verb)}
              {a.project_id && a.project_title ? (
                <>
                  {' – '}
                  <Link className="kern-link" to={routes.project(a.project_id)}>
                    {a.project_title}
                  </Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('dashboard.noActivity')}</p>
      )}
    </section>
  );
}

function countRows(counts: Record<string, number>, order: readonly string[], label: (k: string) => string): ChartRow[] {
  return orderedEntries(counts, order).map(([k, n]) => ({ label: label(k), values: { count: n } }));
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function districtNumbers(t: TFunction, locale: Locale, d: DistrictDashboard) {
  const projects = sum(d.projects_by_status);
  const adoptionsLive = d.adoptions_by_status.live ?? 0;
  const adoptionsActive = sum(d.adoptions_by_status) - (d.adoptions_by_status.declined ?? 0);
  return [
    { label: t('dashboard.n.projects'), value: String(projects), testId: 'kpi-projects' },
    { label: t('dashboard.n.projectsLive'), value: String(d.projects_by_status.live ?? 0) },
    { label: t('dashboard.n.adoptions'), value: t('dashboard.n.adoptionsValue', { active: adoptionsActive, live: adoptionsLive }) },
    {
      label: t('dashboard.n.coverage'),
      value: t('dashboard.n.coverageValue', { done: d.ozg_coverage.done, total: d.ozg_coverage.total, percent: percent(d.ozg_coverage.percent, locale) }),
    },
    { label: t('dashboard.n.supportOpen'), value: t('dashboard.n.supportOpenValue', { open: d.support.open, overdue: d.support.overdue, unassigned: d.support.unassigned }), testId: 'kpi-support' },
    {
      label: t('dashboard.n.medianResponse'),
      value: d.support.median_response_minutes != null ? formatMinutes(t, d.support.median_response_minutes) : '–',
    },
  ];
}

function DistrictView({ d }: { d: DistrictDashboard }) {
  const { t, locale } = useI18n();
  const statusSeries = projectStatusKeys.map((k, i) => ({ key: k, label: projectStatusLabel(t, k), color: palette[i % palette.length] ?? '#0072B2' }));
  const one = [{ key: 'count', label: t('dashboard.count'), color: palette[0] ?? '#0072B2' }];
  const funding = fundingRows(d.funding_by_town);
  const fundingSeries = [
    { key: 'requested', label: t('dashboard.funding.requested'), color: palette[0] ?? '#0072B2' },
    { key: 'approved', label: t('dashboard.funding.approved'), color: palette[2] ?? '#009E73' },
  ];
  return (
    <div className="kern-stack-lg">
      <section className="kern-stack" aria-labelledby="key-numbers">
        <h2 className="kern-heading-medium" id="key-numbers">
          {t('dashboard.keyNumbers')}
        </h2>
        <Numbers items={districtNumbers(t, locale, d)} />
        <Progress
          label={t('dashboard.strategyProgress')}
          done={d.strategy.done}
          total={d.strategy.total}
          value={d.strategy.percent}
          text={t('dashboard.strategyText', { done: d.strategy.done, total: d.strategy.total, percent: percent(d.strategy.percent, locale) })}
        />
        <p className="kern-body">
          <Link className="kern-link" to={routes.support}>
            {t('dashboard.toSupport')}
          </Link>{' '}
          ·{' '}
          <Link className="kern-link" to={routes.efaMatrix}>
            {t('nav.efaMatrix')}
          </Link>{' '}
          ·{' '}
          <Link className="kern-link" to={routes.strategy}>
            {t('nav.strategy')}
          </Link>
        </p>
      </section>
      <section className="kern-stack" aria-labelledby="charts">
        <h2 className="kern-heading-medium" id="charts">
          {t('dashboard.charts')}
        </h2>
        <div className="dn-chart-grid">
          <ChartCard
            title={t('dashboard.chart.byTown')}
            rowHeader={t('field.municipality')}
            series={statusSeries}
            rows={d.projects_by_town.map((x) => ({ label: x.name, values: x.by_status }))}
            filename={`projekte-nach-kommune-${day()}.csv`}
            stacked
            horizontal
          />
          <ChartCard
            title={t('dashboard.chart.byStatus')}
            rowHeader={t('projects.field.status')}
            series={one}
            rows={countRows(d.projects_by_status, projectStatusKeys, (k) => projectStatusLabel(t, k))}
            filename={`projekte-nach-status-${day()}.csv`}
          />
          <ChartCard
            title={t('dashboard.chart.adoptions')}
            rowHeader={t('efa.adoption.status')}
            series={one}
            rows={countRows(d.adoptions_by_status, adoptionStatusKeys, (k) => adoptionStatusLabel(t, k))}
            filename={`nachnutzungen-nach-status-${day()}.csv`}
            horizontal
          />
          <ChartCard
            title={t('dashboard.chart.byTopic')}
            rowHeader={t('projects.field.topic')}
            series={one}
            rows={d.projects_by_topic.map((x) => ({ label: x.name, values: { count: x.count } }))}
            filename={`projekte-nach-thema-${day()}.csv`}
            horizontal
          />
          <ChartCard
            title={t('dashboard.chart.byThemenfeld')}
            rowHeader={t('efa.field.themenfeld')}
            series={one}
            rows={d.projects_by_themenfeld.map((x) => ({ label: x.name, values: { count: x.count } }))}
            filename={`projekte-nach-themenfeld-${day()}.csv`}
            horizontal
          />
          <ChartCard
            title={t('dashboard.chart.funding')}
            summary={funding.length ? fundingSummary(t, locale, funding) : undefined}
            rowHeader={t('field.municipality')}
            series={fundingSeries}
            rows={funding}
            filename={`foerdermittel-je-kommune-${day()}.csv`}
            format={(cents) => formatEuro(cents, locale)}
            axisFormat={(cents) => formatEuroCompact(cents, locale)}
            csvValue={centsToSpreadsheetEuro}
            csvUnit="EUR"
            empty={t('dashboard.funding.empty')}
            noTotal
            horizontal
          />
        </div>
      </section>
      <UsageBlock districtId={d.district_id} />
      <ActivityList items={d.recent_activity} title={t('dashboard.activity')} />
    </div>
  );
}

function TownView({ d }: { d: TownDashboard }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const projects = sum(d.projects_by_status);
  return (
    <div className="kern-stack-lg">
      <section className="kern-stack" aria-labelledby="key-numbers">
        <h2 className="kern-heading-medium" id="key-numbers">
          {d.municipality_name ? t('dashboard.townNumbers', { town: d.municipality_name }) : t('dashboard.keyNumbers')}
        </h2>
        <Numbers
          items={[
            { label: t('dashboard.n.projects'), value: String(projects), testId: 'kpi-projects' },
            { label: t('dashboard.n.projectsLive'), value: String(d.projects_by_status.live ?? 0) },
            { label: t('dashboard.n.openRequests'), value: String(d.open_requests.length), testId: 'kpi-support' },
            { label: t('dashboard.n.myMeasures'), value: String(d.my_measures.length) },
          ]}
        />
      </section>
      <section className="kern-stack" aria-labelledby="open-requests">
        <h2 className="kern-heading-medium" id="open-requests">
          {t('dashboard.openRequests')}
        </h2>
        {d.open_requests.length ? (
          <ul className="dn-plain-list">
            {d.open_requests.map((r) => (
              <li key={r.id} className="kern-body">
                <Link className="kern-link" to={routes.supportRequest(r.id)}>
                  {r.title}
                </Link>{' '}
                – {supportStatusLabel(t, r.status)} · {formatDateTime(r.created_at, locale)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="kern-body">{t('dashboard.noOpenRequests')}</p>
        )}
      </section>
      <section className="kern-stack" aria-labelledby="my-measures">
        <h2 className="kern-heading-medium" id="my-measures">
          {t('dashboard.myMeasures')}
        </h2>
        {d.my_measures.length ? (
          <ul className="dn-plain-list">
            {d.my_measures.map((m) => (
              <li key={m.id} className="kern-body">
                <strong>{m.title}</strong> ({m.goal_field_title}) – {measureStatusLabel(t, m.status)}
                {m.target_date ? ` · ${t('dashboard.until', { date: m.target_date.split('-').reverse().join('.') })}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="kern-body">{t('dashboard.noMeasures')}</p>
        )}
      </section>
      <ChartCard
        title={t('dashboard.chart.townByStatus')}
        summary={t('dashboard.townProjectsText', { total: projects, live: d.projects_by_status.live ?? 0 })}
        rowHeader={t('projects.field.status')}
        series={[{ key: 'count', label: t('dashboard.count'), color: palette[0] ?? '#0072B2' }]}
        rows={countRows(d.projects_by_status, projectStatusKeys, (k) => projectStatusLabel(t, k))}
        filename={`projekte-meiner-kommune-${day()}.csv`}
      />
      <UsageBlock districtId={me.district?.id} />
      <ActivityList items={d.followed_news} title={t('dashboard.followedNews')} />
    </div>
  );
}

export function DashboardPage() {
  const t = useT();
  const me = useMe();
  const district = can.seeDistrictDashboard(me);
  const scope = useDistrictScope();
  const districtQuery = useQuery({
    queryKey: ['dashboard', 'district', scope.districtId ?? null],
    queryFn: () => dashboardApi.district(scope.districtId),
    enabled: district && !!scope.districtId,
  });
  const townQuery = useQuery({ queryKey: ['dashboard', 'town'], queryFn: dashboardApi.town, enabled: !district });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('home.welcome', { name: me.name })}</PageHeading>
      <p className="kern-body">
        {district
          ? t('dashboard.districtIntro', { district: scope.districtName ?? '' })
          : t('dashboard.townIntro', { town: me.municipality?.name ?? '' })}
      </p>
      <TodaySection />
      {district ? scope.picker : null}
      {district ? (
        <QueryState query={districtQuery}>{(d) => <DistrictView d={d} />}</QueryState>
      ) : (
        <QueryState query={townQuery}>{(d) => <TownView d={d} />}</QueryState>
      )}
    </div>
  );
}
