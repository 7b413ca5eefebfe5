// Application status as text in a KERN badge (the colour is never the only signal).
import { useT } from '@/lib/i18n';
import type { ApplicationStatus } from './types';

const variant: Record<ApplicationStatus, string> = {
  idea: 'info',
  preparing: 'info',
  submitted: 'warning',
  approved: 'success',
  rejected: 'danger',
  withdrawn: 'danger',
};

export function StatusBadge({ status }: { status: ApplicationStatus }) {
  const t = useT();
  return (
    <span className={`kern-badge kern-badge--${variant[status]}`} data-testid="application-status">
      <span className="kern-label kern-label--small">
        <span className="kern-sr-only">{t('funding.field.status')}: </span>
        {t(`funding.status.${status}`)}
      </span>
    </span>
  );
}
