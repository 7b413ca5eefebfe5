// /efa/abdeckung: how many OZG services the district (or one town) covers with EfA
// solutions, per Themenfeld as bars and as a table, and what other districts already cover.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { PageHeading, QueryState, SelectField, useDistrictScope } from '@/components';
import { useI18n, useT } from '@/lib/i18n';
import { efaApi } from './api';
import { formatPercent } from './percent';
import { useTowns } from './queries';
import type { Coverage } from './types';

function Bars({ coverage }: { coverage: Coverage }) {
  const { t, locale } = useI18n();
  return (
    <ul className="dn-bars" aria-label={t('efa.coverage.chart')}>
      {coverage.themenfelder.map((f) => (
        <li key={f.id} className="dn-bars__item">
          <span className="kern-body dn-bars__label">{f.name}</span>
          <span className="dn-bars__track" aria-hidden="true">
            <span className="dn-bars__bar" style={{ width: `${Math.min(100, Math.max(0, f.percent))}%` }} />
          </span>
          <span className="kern-body kern-body--small dn-bars__value">
            {t('efa.coverage.of', { covered: f.covered, total: f.total, percent: formatPercent(f.percent, locale) })}
          </span>
        </li>
      ))}
    </ul>
  );
}

function CoverageView({ coverage, townName }: { coverage: Coverage; townName: string | null }) {
  const { t, locale } = useI18n();
  return (
    <div className="kern-stack-lg">
      <section className="kern-stack" aria-labelledby="coverage-total">
        <h2 className="kern-heading-medium" id="coverage-total">
          {townName ? t('efa.coverage.totalTown', { town: townName }) : t('efa.coverage.totalDistrict')}
        </h2>
        <p className="kern-body kern-body--large" data-testid="coverage-total">
          {t('efa.coverage.summary', {
            covered: coverage.covered,
            total: coverage.total,
            percent: formatPercent(coverage.percent, locale),
          })}
        </p>
        <progress className="dn-progress" max={100} value={coverage.percent} aria-labelledby="coverage-total" />
      </section>
      <section className="kern-stack" aria-labelledby="coverage-fields">
        <h2 className="kern-heading-medium" id="coverage-fields">
          {t('efa.coverage.byField')}
        </h2>
        <Bars coverage={coverage} />
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--striped kern-table--small">
            <caption className="kern-title">{t('efa.coverage.tableCaption')}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('efa.field.themenfeld')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.coverage.services')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.coverage.covered')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.coverage.percent')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {coverage.themenfelder.map((f) => (
                <tr key={f.id} className="kern-table__row">
                  <th scope="row" className="kern-table__cell">{f.name}</th>
                  <td className="kern-table__cell kern-table__cell--numeric">{f.total}</td>
                  <td className="kern-table__cell kern-table__cell--numeric">{f.covered}</td>
                  <td className="kern-table__cell kern-table__cell--numeric">{formatPercent(f.percent, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="kern-stack" aria-labelledby="coverage-elsewhere">
        <h2 className="kern-heading-medium" id="coverage-elsewhere">
          {t('efa.coverage.elsewhere')}
        </h2>
        {townName ? (
          <p className="kern-body">{t('efa.coverage.elsewhereDistrictOnly')}</p>
        ) : coverage.covered_elsewhere.length ? (
          <>
            <p className="kern-body">{t('efa.coverage.elsewhereIntro')}</p>
            <ul className="dn-plain-list">
              {coverage.covered_elsewhere.map((g) => (
                <li key={g.ozg_id} className="kern-body">
                  {g.name} ({t('efa.ozgId', { id: g.ozg_id })}, {g.themenfeld}) –{' '}
                  {t(g.other_districts === 1 ? 'efa.coverage.otherDistricts.one' : 'efa.coverage.otherDistricts', {
                    count: g.other_districts,
                  })}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="kern-body">{t('efa.coverage.elsewhereNone')}</p>
        )}
      </section>
    </div>
  );
}

export function CoveragePage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const townId = params.get('municipality_id') ?? '';
  const towns = useTowns();
  const scope = useDistrictScope();
  const coverage = useQuery({
    queryKey: ['efa', 'coverage', scope.districtId ?? null, townId],
    queryFn: () =>
      efaApi.coverage({
        ...(scope.districtId ? { district_id: scope.districtId } : {}),
        ...(townId ? { municipality_id: townId } : {}),
      }),
    placeholderData: keepPreviousData,
    enabled: !!scope.districtId,
  });
  const townOptions = (towns.data?.items ?? []).filter((m) => !scope.districtId || m.district_id === scope.districtId);
  const townName = townId ? (towns.data?.items.find((m) => m.id === townId)?.name ?? townId) : null;
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('efa.coverage.title')}</PageHeading>
      <p className="kern-body">{t('efa.coverage.intro')}</p>
      {scope.picker}
      <div className="dn-filters">
        <SelectField
          label={t('field.municipality')}
          value={townId}
          options={[
            { value: '', label: t('efa.coverage.wholeDistrict') },
            ...townOptions.map((m) => ({ value: m.id, label: m.name })),
          ]}
          onChange={(e) => setParams(e.target.value ? { municipality_id: e.target.value } : {})}
        />
      </div>
      <QueryState query={coverage}>{(c) => <CoverageView coverage={c} townName={townName} />}</QueryState>
    </div>
  );
}
