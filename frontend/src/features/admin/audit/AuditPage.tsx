// /verwaltung/protokoll: who changed what, newest first.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Pagination, PageHeading, QueryState } from '@/components';
import { api, call } from '@/lib/api';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/format';
import { useDistrictScope } from '../shared/DistrictScope';

const LIMIT = 25;

export function AuditPage() {
  const { t, locale } = useI18n();
  const { districtId, picker } = useDistrictScope();
  const [page, setPage] = useState(1);
  const audit = useQuery({
    queryKey: ['audit', districtId ?? null, page],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/audit', {
          params: { query: { ...(districtId ? { district_id: districtId } : {}), page, limit: LIMIT } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('audit.title')}</PageHeading>
      {picker}
      <QueryState query={audit} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('audit.empty')}</p>}>
        {(data) => (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-title">{t('audit.caption', { total: data.total })}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('audit.when')}</th>
                    <th scope="col" className="kern-table__header">{t('audit.who')}</th>
                    <th scope="col" className="kern-table__header">{t('audit.action')}</th>
                    <th scope="col" className="kern-table__header">{t('audit.object')}</th>
                    <th scope="col" className="kern-table__header">{t('audit.summary')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((e) => (
                    <tr className="kern-table__row" key={e.id}>
                      <td className="kern-table__cell">{formatDateTime(e.created_at, locale)}</td>
                      <td className="kern-table__cell">{e.actor_name ?? t('audit.system')}</td>
                      <td className="kern-table__cell">{e.action_label}</td>
                      <td className="kern-table__cell">{e.object_label}</td>
                      <td className="kern-table__cell">{e.summary_text}</td>
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
