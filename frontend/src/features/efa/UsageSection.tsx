// The usage of an EfA solution per adopting town (Nutzungsmonitor, issue #17): cases over the
// solution's OZG services in the last months and the online share; small counts read "< 5".
import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api';
import { formatMaskedCount } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { adoptionLabel } from './status';
import { adoptionStatuses, type AdoptionStatus } from './types';
import { formatPercent } from './percent';

export function UsageSection({ solutionId }: { solutionId: string }) {
  const { t, locale } = useI18n();
  const usage = useQuery({
    queryKey: ['usage', 'efa', solutionId],
    queryFn: () => call(() => api.GET('/api/v1/usage/efa/{id}', { params: { path: { id: solutionId } } })),
  });
  const items = usage.data?.items ?? [];
  // Quietly absent while loading or when nothing is visible: the adoptions above say who runs it.
  if (items.length === 0) return null;
  const status = (s: string) => ((adoptionStatuses as string[]).includes(s) ? adoptionLabel(t, s as AdoptionStatus) : s);
  return (
    <section className="kern-stack dn-section" aria-labelledby="efa-usage">
      <h2 className="kern-heading-medium" id="efa-usage">
        {t('efa.usage.title')}
      </h2>
      <div className="kern-table-responsive">
        <table className="kern-table kern-table--striped">
          <caption className="kern-sr-only">{t('efa.usage.caption')}</caption>
          <thead className="kern-table__header">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
              <th scope="col" className="kern-table__header">{t('efa.adoption.status')}</th>
              <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.usage.total')}</th>
              <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.usage.online')}</th>
              <th scope="col" className="kern-table__header kern-table__header--numeric">{t('efa.usage.share')}</th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {items.map((x) => (
              <tr key={x.municipality_id} className="kern-table__row">
                <th scope="row" className="kern-table__cell">{x.municipality_name}</th>
                <td className="kern-table__cell">{status(x.adoption_status)}</td>
                <td className="kern-table__cell kern-table__cell--numeric">{formatMaskedCount(x.total, x.total_masked, locale)}</td>
                <td className="kern-table__cell kern-table__cell--numeric">{formatMaskedCount(x.online, x.online_masked, locale)}</td>
                <td className="kern-table__cell kern-table__cell--numeric">
                  {x.online_share === null || x.online_share === undefined ? '–' : formatPercent(x.online_share * 100, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="kern-body kern-body--small">{t('efa.usage.note', { from: usage.data?.from ?? '', to: usage.data?.to ?? '' })}</p>
    </section>
  );
}
