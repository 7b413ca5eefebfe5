// /prozesse/abweichungen: "Abweichungen im Kreis" — which steps of the reference models most towns change.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeading, Pagination, QueryState } from '@/components';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { ProcessNav } from './ProcessNav';
import { processKeys } from './queries';

const LIMIT = 25;

export function DeviationsPage() {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: [...processKeys.all, 'deviations', page],
    queryFn: () => processesApi.deviations(page, LIMIT),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('processes.deviations.title')}</PageHeading>
      <ProcessNav />
      <p className="kern-body">{t('processes.deviations.intro')}</p>
      <QueryState query={list} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('processes.deviations.empty')}</p>}>
        {(data) => (
          <section className="kern-stack" aria-labelledby="deviation-results">
            <h2 className="kern-heading-medium" id="deviation-results">
              {t('processes.deviations.results', { total: data.total })}
            </h2>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-sr-only">{t('processes.deviations.caption')}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('processes.field.name')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.compare.activity')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--numeric">{t('processes.deviations.towns')}</th>
                    <th scope="col" className="kern-table__header">{t('processes.deviations.how')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((d) => (
                    <tr key={`${d.process_id}-${d.activity_id}`} className="kern-table__row">
                      <td className="kern-table__cell">
                        <Link className="kern-link" to={routes.process(d.process_id)}>
                          {d.process_name}
                        </Link>
                      </td>
                      <th scope="row" className="kern-table__cell">
                        {d.activity_name || d.activity_id}
                      </th>
                      <td className="kern-table__cell kern-table__cell--numeric">{d.towns}</td>
                      <td className="kern-table__cell">{t('processes.compare.counts', { added: d.added, renamed: d.renamed, removed: d.removed })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={setPage} />
          </section>
        )}
      </QueryState>
    </div>
  );
}
