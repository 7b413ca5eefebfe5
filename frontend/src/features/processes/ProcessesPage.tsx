// /prozesse: the district's process register with search, filters (kept in the URL) and paging.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeading, Pagination, QueryState, SelectField, TextField } from '@/components';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { OfflineExport, RegisterCsvButton } from './Downloads';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch, type ProcessFilters } from './filters';
import { ProcessNav } from './ProcessNav';
import { processKeys, useThemenfelder, useTowns } from './queries';
import './processes.css';

const LIMIT = 20;

export function ProcessesPage() {
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
  const towns = useTowns(me.district?.id);
  const update = (patch: Partial<ProcessFilters>) => setParams(filtersToSearch({ ...filters, page: 1, ...patch }));
  const list = useQuery({
    queryKey: processKeys.list(filtersToSearch(filters).toString()),
    queryFn: () => processesApi.list(filtersToApiQuery(filters, LIMIT)),
    placeholderData: keepPreviousData,
  });
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    update({ q: search.trim() });
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('processes.title')}</PageHeading>
      <ProcessNav />
      <p className="kern-body">{t('processes.intro')}</p>
      <div className="kern-btn-wrapper dn-actions">
        {can.createProcess(me) ? (
          <Link to={routes.newProcess} className="kern-btn kern-btn--primary">
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{t('processes.new')}</span>
          </Link>
        ) : null}
        <RegisterCsvButton />
      </div>
      <form className="dn-filters" role="search" aria-label={t('processes.filters')} onSubmit={submit}>
        <TextField label={t('processes.search')} type="search" name="q" value={search} onChange={(e) => setSearch(e.target.value)} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--search" aria-hidden="true" />
            <span className="kern-label">{t('action.search')}</span>
          </button>
        </div>
        <SelectField
          label={t('processes.field.themenfeld')}
          value={filters.themenfeld}
          options={[
            { value: '', label: t('filter.all') },
            ...(themenfelder.data?.items ?? []).map((x) => ({ value: String(x.id), label: x.name })),
          ]}
          onChange={(e) => update({ themenfeld: e.target.value })}
        />
        <SelectField
          label={t('processes.filter.town')}
          value={filters.town}
          options={[
            { value: '', label: t('filter.all') },
            ...(towns.data?.items ?? []).map((m) => ({ value: m.id, label: m.name })),
          ]}
          onChange={(e) => update({ town: e.target.value })}
        />
      </form>
      <QueryState query={list} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('processes.empty')}</p>}>
        {(data) => (
          <section className="kern-stack" aria-labelledby="process-results">
            <h2 className="kern-heading-medium" id="process-results" aria-live="polite">
              {t(data.total === 1 ? 'processes.results.one' : 'processes.results', { total: data.total })}
            </h2>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-sr-only">{t('processes.tableCaption')}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('processes.field.name')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.field.leika')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.field.themenfeld')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.field.owner')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.section.models')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.field.visibility')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((p) => (
                    <tr key={p.id} className="kern-table__row">
                      <th scope="row" className="kern-table__cell">
                        <Link className="kern-link" to={routes.process(p.id)}>
                          {p.name}
                        </Link>
                      </th>
                      <td className="kern-table__cell">{p.leika_key ?? '–'}</td>
                      <td className="kern-table__cell">{p.themenfeld_name ?? '–'}</td>
                      <td className="kern-table__cell">{p.owner?.name ?? t('processes.ownerDistrict')}</td>
                      <td className="kern-table__cell">
                        {t('processes.modelCounts', { reference: p.reference_versions, local: p.local_variants })}
                      </td>
                      <td className="kern-table__cell">{t(`processes.visibility.${p.visibility}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={(page) => setParams(filtersToSearch({ ...filters, page }))} />
          </section>
        )}
      </QueryState>
      <OfflineExport />
    </div>
  );
}
