// /ozg: browse the OZG catalogue by Themenfeld and text.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Pagination, PageHeading, QueryState, SelectField, TextField } from '@/components';
import { api, call } from '@/lib/api';
import { useT } from '@/lib/i18n';

const LIMIT = 25;

export function OzgPage() {
  const t = useT();
  const [themenfeld, setThemenfeld] = useState('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);

  const themenfelder = useQuery({
    queryKey: ['ozg', 'themenfelder'],
    queryFn: () => call(() => api.GET('/api/v1/ozg/themenfelder')),
    staleTime: 60 * 60 * 1000,
  });
  const services = useQuery({
    queryKey: ['ozg', 'services', themenfeld, q, page],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/ozg/services', {
          params: { query: { ...(themenfeld ? { themenfeld_id: Number(themenfeld) } : {}), ...(q ? { q } : {}), page, limit: LIMIT } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setQ(search.trim());
    setPage(1);
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('ozg.title')}</PageHeading>
      <p className="kern-body">{t('ozg.intro')}</p>
      <form className="dn-filters" role="search" aria-label={t('ozg.filters')} onSubmit={submit}>
        <SelectField
          label={t('ozg.themenfeld')}
          value={themenfeld}
          disabled={!themenfelder.data}
          options={[
            { value: '', label: t('filter.all') },
            ...(themenfelder.data?.items ?? []).map((f) => ({ value: String(f.id), label: `${f.name} (${f.service_count})` })),
          ]}
          onChange={(e) => {
            setThemenfeld(e.target.value);
            setPage(1);
          }}
        />
        <TextField label={t('ozg.search')} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--search" aria-hidden="true" />
            <span className="kern-label">{t('action.search')}</span>
          </button>
        </div>
      </form>
      <QueryState query={services} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('ozg.empty')}</p>}>
        {(data) => (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-title">{t('ozg.caption', { total: data.total })}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('ozg.id')}</th>
                    <th scope="col" className="kern-table__header">{t('field.name')}</th>
                    <th scope="col" className="kern-table__header">{t('ozg.themenfeld')}</th>
                    <th scope="col" className="kern-table__header">{t('ozg.lebenslage')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--numeric">{t('ozg.leika')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((s) => (
                    <tr className="kern-table__row" key={s.ozg_id}>
                      <td className="kern-table__cell">{s.ozg_id}</td>
                      <td className="kern-table__cell">{s.name}</td>
                      <td className="kern-table__cell">{s.themenfeld}</td>
                      <td className="kern-table__cell">{s.lebenslage ?? '–'}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{s.leika_count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={setPage} />
          </>
        )}
      </QueryState>
    </div>
  );
}
