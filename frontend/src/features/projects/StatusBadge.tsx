// Status as text in a coloured KERN badge (the colour is never the only signal).
import { useT } from '@/lib/i18n';
import type { ProjectStatus } from './types';

const variant: Record<ProjectStatus, string> = {
  idea: 'info',
  draft: 'info',
  planned: 'info',
  in_progress: 'warning',
  live: 'success',
  paused: 'warning',
  cancelled: 'danger',
};

export function StatusBadge({ status }: { status: ProjectStatus }) {
  const t = useT();
  return (
    <span className={`kern-badge kern-badge--${variant[status]} dn-status dn-status--${status}`}>
      <span className="kern-label kern-label--small">
        <span className="kern-sr-only">{t('projects.field.status')}: </span>
        {t(`projects.status.${status}`)}
      </span>
    </span>
  );
}
