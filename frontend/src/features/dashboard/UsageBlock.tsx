// "Nutzung": the district's online share over the last months with figures (Nutzungsmonitor,
// issue #17), and the way to the comparison. Absent while the district has no figures.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '@/lib/api';
import { formatMaskedCount } from '@/lib/format';
import { useI18n } from '@/lib/i18n';
import { routes } from '@/lib/routes';

function percent(share: number, locale: string): string {
  return `${new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(share * 100)} %`;
}

export function UsageBlock({ districtId }: { districtId: string | undefined }) {
  const { t, locale } = useI18n();
  const totals = useQuery({
    queryKey: ['usage', 'district', districtId ?? '', 'totals', '', ''],
    queryFn: () => call(() => api.GET('/api/v1/usage/districts/{id}/totals', { params: { path: { id: districtId ?? '' } } })),
    enabled: !!districtId,
  });
  const sum = totals.data?.sum;
  if (!totals.data || !sum || sum.total === 0) return null;
  return (
    <section className="kern-stack" aria-labelledby="dashboard-usage">
      <h2 className="kern-heading-medium" id="dashboard-usage">
        {t('dashboard.usage.title')}
      </h2>
      <p className="kern-body" data-testid="dashboard-usage">
        {t('dashboard.usage.text', {
          share: sum.online_share === null || sum.online_share === undefined ? '–' : percent(sum.online_share, locale),
          online: formatMaskedCount(sum.online, false, locale),
          total: formatMaskedCount(sum.total, false, locale),
        })}
      </p>
      <p className="kern-body">
        <Link className="kern-link" to={routes.usageDistrict}>
          {t('dashboard.usage.link')}
        </Link>
      </p>
    </section>
  );
}
