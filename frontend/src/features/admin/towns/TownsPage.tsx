// /verwaltung/kommunen: the towns of a district, create and rename.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Pagination, PageHeading, QueryState } from '@/components';
import { api, call } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { useDistrictScope } from '../shared/DistrictScope';
import { CreateTownForm } from './CreateTownForm';
import { TownRow } from './TownRow';

const LIMIT = 25;

export function TownsPage() {
  const t = useT();
  const { districtId, picker } = useDistrictScope();
  const [page, setPage] = useState(1);
  const towns = useQuery({
    queryKey: ['municipalities', 'page', districtId ?? null, page],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/municipalities', {
          params: { query: { ...(districtId ? { district_id: districtId } : {}), page, limit: LIMIT } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('towns.title')}</PageHeading>
      {picker}
      <QueryState query={towns} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('towns.empty')}</p>}>
        {(data) => (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-title">{t('towns.caption', { total: data.total })}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('field.name')}</th>
                    <th scope="col" className="kern-table__header">{t('field.ags')}</th>
                    <th scope="col" className="kern-table__header">{t('field.kind')}</th>
                    <th scope="col" className="kern-table__header kern-table__header--action">{t('table.actions')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((m) => (
                    <TownRow key={m.id} town={m} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={setPage} />
          </>
        )}
      </QueryState>
      {districtId ? <CreateTownForm districtId={districtId} /> : null}
    </div>
  );
}
