// /nutzung: a town's usage per service — the monthly line online against the other channels
// and the online share, each with a table and a CSV; the sharing of a service's figures.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ComponentProps } from 'react';
import { Link } from 'react-router';
import { Alert, EmptyState, Loading, PageHeading, Pagination, QueryState, SelectField } from '@/components';
import { problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { usageApi } from './api';
import { CsvButton } from './CsvButton';
import { PeriodFilter, usePeriod } from './PeriodFilter';
import { usageKeys } from './queries';
import { periodShare } from './series';
import { formatCount, formatMonth, formatShare } from './share';
import { useTownScope } from './townScope';
import type { ServiceSeries, UsageVisibility } from './types';
import { UsageNav } from './UsageNav';
import './usage.css';

// The charting library is big: it loads in its own chunk.
const LazySeriesChart = lazy(() => import('./SeriesChart').then((m) => ({ default: m.SeriesChart })));

function SeriesChart(props: ComponentProps<typeof LazySeriesChart>) {
  return (
    <Suspense fallback={<Loading />}>
      <LazySeriesChart {...props} />
    </Suspense>
  );
}

const visibilities: UsageVisibility[] = ['district', 'network', 'public'];

function Sharing({ townId, service }: { townId: string; service: ServiceSeries }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (v: UsageVisibility) => usageApi.setSharing(townId, service.leika_key, v),
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: usageKeys.all });
    },
  });
  return (
    <div className="kern-stack">
      <SelectField
        label={t('usage.sharing.label')}
        hint={t('usage.sharing.hint')}
        value={save.variables ?? service.visibility}
        disabled={save.isPending}
        options={visibilities.map((v) => ({ value: v, label: t(`usage.sharing.${v}`) }))}
        onChange={(e) => {
          setSaved(false);
          save.mutate(e.target.value as UsageVisibility);
        }}
      />
      {save.isError ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
      <div role="status">{saved && save.isSuccess ? <p className="kern-body kern-body--small">{t('usage.sharing.saved')}</p> : null}</div>
    </div>
  );
}

function ServiceCard({ townId, service, period }: { townId: string; service: ServiceSeries; period: { from?: string; to?: string } }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const sum = periodShare(service.points);
  const headingId = `service-${service.leika_key}`;
  return (
    <section className="dn-chart kern-stack" aria-labelledby={headingId} data-testid={`series-${service.leika_key}`}>
      <h3 className="kern-heading-small" id={headingId}>
        {service.service_name}
      </h3>
      <p className="kern-body kern-body--small">
        {t('usage.series.key', { key: service.leika_key })}
        {service.ozg_id ? ` · ${t('usage.series.ozg', { id: service.ozg_id })}` : ''}
      </p>
      <p className="kern-body">
        {sum.share === null
          ? t('usage.series.noShare')
          : t('usage.series.summary', { share: formatShare(sum.share, locale), online: formatCount(sum.online, false, locale), total: formatCount(sum.total, false, locale) })}
      </p>
      <SeriesChart
        service={service}
        csv={<CsvButton baseName={`nutzung-${service.leika_key}`} item={service.service_name} fetch={() => usageApi.seriesCsv(townId, period, service.leika_key)} />}
      />
      {can.enterUsage(me) ? <Sharing townId={townId} service={service} /> : null}
    </section>
  );
}

export function TownUsagePage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const scope = useTownScope();
  const [period, setPeriod] = usePeriod();
  const [page, setPage] = useState(1);
  const series = useQuery({
    queryKey: usageKeys.series(scope.townId, period.from ?? '', period.to ?? '', page),
    queryFn: () => usageApi.series(scope.townId, period, page),
    enabled: scope.townId !== '',
    placeholderData: keepPreviousData,
  });
  const title = scope.townName ? t('usage.town.title', { town: scope.townName }) : t('usage.title');
  return (
    <div className="kern-stack-lg">
      <PageHeading>{title}</PageHeading>
      <UsageNav />
      <p className="kern-body">{t('usage.town.intro')}</p>
      {scope.picker}
      <PeriodFilter period={period} onChange={(p) => { setPeriod(p); setPage(1); }} shown={series.data} />
      {scope.townId === '' ? (
        <EmptyState>
          <p className="kern-body">{t('usage.town.noTown')}</p>
        </EmptyState>
      ) : (
        <QueryState
          query={series}
          isEmpty={(s) => s.items.length === 0}
          empty={
            <p className="kern-body">
              {t('usage.town.empty')}{' '}
              {can.enterUsage(me) ? (
                <Link className="kern-link" to={routes.usageImport}>
                  {t('usage.town.toImport')}
                </Link>
              ) : null}
            </p>
          }
        >
          {(s) => (
            <div className="kern-stack-lg">
              <p className="kern-body">
                {t('usage.town.period', { from: formatMonth(s.from, locale), to: formatMonth(s.to, locale), services: s.total })}
              </p>
              <div className="kern-btn-wrapper dn-actions">
                <CsvButton baseName="nutzung" item={t('usage.town.allServices', { town: s.municipality_name })} fetch={() => usageApi.seriesCsv(scope.townId, period)} />
              </div>
              <div className="dn-chart-grid">
                {s.items.map((item) => (
                  <ServiceCard key={item.leika_key} townId={scope.townId} service={item} period={period} />
                ))}
              </div>
              {s.total > s.limit ? <Pagination page={s.page} limit={s.limit} total={s.total} onPageChange={setPage} /> : null}
            </div>
          )}
        </QueryState>
      )}
    </div>
  );
}
