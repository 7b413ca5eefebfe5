// /efa: the EfA solutions catalogue with filters (kept in the URL) and paging.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeading, Pagination, QueryState, SelectField, TextField } from '@/components';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { efaApi } from './api';
import { SolutionStatusBadge } from './Badges';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch, type SolutionFilters } from './filters';
import { useThemenfelder } from './queries';
import { leadStates, solutionStatuses, type EfaSolution, type SolutionStatus } from './types';

const LIMIT = 20;

/** Adoptions that are not declined. */
function activeAdoptions(s: EfaSolution): number {
  return Object.entries(s.adoption_counts).reduce((sum, [status, n]) => (status === 'declined' ? sum : sum + n), 0);
}

export function SolutionsPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const [search, setSearch] = useState(filters.q);
  const [lastQ, setLastQ] = useState(filters.q);
  if (lastQ !== filters.q) {
    setLastQ(filters.q);
    setSearch(filters.q);
  }
  const themenfelder = useThemenfelder();
  const update = (patch: Partial<SolutionFilters>) => setParams(filtersToSearch({ ...filters, page: 1, ...patch }));
  const solutions = useQuery({
    queryKey: ['efa', 'solutions', filtersToSearch(filters).toString()],
    queryFn: () => efaApi.list(filtersToApiQuery(filters, LIMIT)),
    placeholderData: keepPreviousData,
  });
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    update({ q: search.trim() });
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('efa.title')}</PageHeading>
      <p className="kern-body">{t('efa.intro')}</p>
      <div className="kern-btn-wrapper dn-actions">
        {can.proposeSolution(me) ? (
          <Link to={routes.newEfaSolution} className="kern-btn kern-btn--primary">
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{can.editSolutions(me) ? t('efa.new') : t('efa.propose')}</span>
          </Link>
        ) : null}
        <Link to={routes.efaMatrix} className="kern-btn kern-btn--secondary">
          <span className="kern-label">{t('nav.efaMatrix')}</span>
        </Link>
        <Link to={routes.efaCoverage} className="kern-btn kern-btn--secondary">
          <span className="kern-label">{t('nav.efaCoverage')}</span>
        </Link>
      </div>
      <form className="dn-filters" role="search" aria-label={t('efa.filters')} onSubmit={submit}>
        <TextField label={t('efa.search')} type="search" name="q" value={search} onChange={(e) => setSearch(e.target.value)} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--search" aria-hidden="true" />
            <span className="kern-label">{t('action.search')}</span>
          </button>
        </div>
        <SelectField
          label={t('efa.field.themenfeld')}
          value={filters.themenfeld_id}
          options={[
            { value: '', label: t('filter.all') },
            ...(themenfelder.data?.items ?? []).map((x) => ({ value: String(x.id), label: x.name })),
          ]}
          onChange={(e) => update({ themenfeld_id: e.target.value })}
        />
        <SelectField
          label={t('efa.field.status')}
          value={filters.status}
          options={[
            { value: '', label: t('filter.all') },
            ...solutionStatuses.map((s) => ({ value: s, label: t(`efa.solutionStatus.${s}`) })),
          ]}
          onChange={(e) => update({ status: e.target.value as SolutionStatus | '' })}
        />
        <SelectField
          label={t('efa.field.leadState')}
          value={filters.lead_state}
          options={[{ value: '', label: t('filter.all') }, ...leadStates.map((s) => ({ value: s, label: s }))]}
          onChange={(e) => update({ lead_state: e.target.value })}
        />
      </form>
      <QueryState
        query={solutions}
        isEmpty={(d) => d.items.length === 0}
        empty={<p className="kern-body">{t('efa.empty')}</p>}
      >
        {(data) => (
          <section className="kern-stack" aria-labelledby="efa-results">
            <h2 className="kern-heading-medium" id="efa-results" aria-live="polite">
              {t(data.total === 1 ? 'efa.results.one' : 'efa.results', { total: data.total })}
            </h2>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-sr-only">{t('efa.tableCaption')}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('efa.field.name')}</th>
                    <th scope="col" className="kern-table__header">{t('efa.field.themenfeld')}</th>
                    <th scope="col" className="kern-table__header">{t('efa.field.leadState')}</th>
                    <th scope="col" className="kern-table__header">{t('efa.field.status')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.field.adoptions')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((s) => (
                    <tr key={s.id} className="kern-table__row">
                      <th scope="row" className="kern-table__cell">
                        <Link className="kern-link" to={routes.efaSolution(s.id)}>
                          {s.name}
                        </Link>
                        {!s.published ? <span className="kern-body kern-body--small"> ({t('efa.draft')})</span> : null}
                      </th>
                      <td className="kern-table__cell">{s.themenfeld ?? '–'}</td>
                      <td className="kern-table__cell">{s.lead_state ?? '–'}</td>
                      <td className="kern-table__cell">
                        <SolutionStatusBadge status={s.status} />
                      </td>
                      <td className="kern-table__cell kern-table__cell--numeric">{activeAdoptions(s)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={data.page}
              limit={data.limit}
              total={data.total}
              onPageChange={(page) => setParams(filtersToSearch({ ...filters, page }))}
            />
          </section>
        )}
      </QueryState>
    </div>
  );
}
