// Request status and urgency as text in KERN badges (the colour is never the only signal).
import { useT } from '@/lib/i18n';
import type { SupportStatus, Urgency } from './types';

const statusVariant: Record<SupportStatus, string> = {
  open: 'info',
  assigned: 'info',
  in_progress: 'warning',
  waiting: 'warning',
  resolved: 'success',
  declined: 'danger',
};

export function RequestStatusBadge({ status }: { status: SupportStatus }) {
  const t = useT();
  return (
    <span className={`kern-badge kern-badge--${statusVariant[status]}`}>
      <span className="kern-label kern-label--small">
        <span className="kern-sr-only">{t('support.field.status')}: </span>
        {t(`support.status.${status}`)}
      </span>
    </span>
  );
}

export function OverdueBadge() {
  const t = useT();
  return (
    <span className="kern-badge kern-badge--danger">
      <span className="kern-icon kern-icon--warning kern-icon--small" aria-hidden="true" />
      <span className="kern-label kern-label--small">{t('support.overdue')}</span>
    </span>
  );
}

export function UrgencyText({ urgency }: { urgency: Urgency }) {
  const t = useT();
  return <>{t(`support.urgency.${urgency}`)}</>;
}
