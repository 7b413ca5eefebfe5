// /foerderung/uebersicht: the district's costs, requested and approved funding and own
// contributions per town and programme, with sums and CSV and XLSX exports.
import { useQuery } from '@tanstack/react-query';
import { ExportButtons, PageHeading, QueryState } from '@/components';
import { useI18n } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import { fundingApi } from './api';
import { FundingNav } from './FundingNav';
import { fundingKeys } from './queries';

export function OverviewPage() {
  const { t, locale } = useI18n();
  const overview = useQuery({ queryKey: fundingKeys.overview, queryFn: fundingApi.overview });
  const money = (cents: number) => formatEuro(cents, locale);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('funding.overview.title')}</PageHeading>
      <FundingNav />
      <p className="kern-body">{t('funding.overview.intro')}</p>
      <ExportButtons baseName="foerderung-uebersicht" csv={fundingApi.overviewCsv} xlsx={fundingApi.overviewXlsx} />
      <QueryState query={overview} isEmpty={(d) => d.rows.length === 0} empty={<p className="kern-body">{t('funding.overview.empty')}</p>}>
        {(data) => (
          <div className="kern-table-responsive">
            <table className="kern-table kern-table--striped">
              <caption className="kern-sr-only">{t('funding.overview.title')}</caption>
              <thead className="kern-table__header">
                <tr className="kern-table__row">
                  <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                  <th scope="col" className="kern-table__header">{t('funding.field.programme')}</th>
                  <th scope="col" className="kern-table__header">{t('funding.overview.costs')}</th>
                  <th scope="col" className="kern-table__header">{t('funding.field.requested')}</th>
                  <th scope="col" className="kern-table__header">{t('funding.field.approved')}</th>
                  <th scope="col" className="kern-table__header">{t('funding.ownContribution')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {data.rows.map((r) => (
                  <tr key={`${r.municipality_id}-${r.programme_id}`} className="kern-table__row">
                    <th scope="row" className="kern-table__cell">{r.municipality_name}</th>
                    <td className="kern-table__cell">{r.programme_name}</td>
                    <td className="kern-table__cell dn-number">{money(r.costs_cents)}</td>
                    <td className="kern-table__cell dn-number">{money(r.requested_cents)}</td>
                    <td className="kern-table__cell dn-number">{money(r.approved_cents)}</td>
                    <td className="kern-table__cell dn-number">{money(r.own_contribution_cents)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="kern-table__row" data-testid="overview-sum">
                  <th scope="row" colSpan={2} className="kern-table__cell">
                    {t('funding.overview.sum')}
                  </th>
                  <td className="kern-table__cell dn-number">{money(data.total_costs_cents)}</td>
                  <td className="kern-table__cell dn-number">{money(data.total_requested_cents)}</td>
                  <td className="kern-table__cell dn-number">{money(data.total_approved_cents)}</td>
                  <td className="kern-table__cell dn-number">{money(data.total_own_contribution_cents)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </QueryState>
    </div>
  );
}
