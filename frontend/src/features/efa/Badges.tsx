// Adoption and solution status as text in a coloured KERN badge with an icon.
import { useT } from '@/lib/i18n';
import { adoptionLook } from './status';
import type { AdoptionStatus, SolutionStatus } from './types';

/**
 * `compact`: the matrix's narrow form, smaller type and the same words, allowed to break at the
 * joints of compounds ("Vertrags-/abschluss") so the cells stay narrow without changing the text.
 */
export function AdoptionBadge({ status, srPrefix = true, compact = false }: { status: AdoptionStatus; srPrefix?: boolean; compact?: boolean }) {
  const t = useT();
  const look = adoptionLook[status];
  return (
    <span className={`kern-badge kern-badge--${look.variant} dn-adoption dn-adoption--${status}${compact ? ' dn-adoption--compact' : ''}`}>
      <span className={`kern-icon kern-icon--${look.icon} kern-icon--small`} aria-hidden="true" />
      <span className="kern-label kern-label--small">
        {srPrefix ? <span className="kern-sr-only">{t('efa.adoption.status')}: </span> : null}
        {t(compact ? look.breakable : look.label)}
      </span>
    </span>
  );
}

const solutionVariant: Record<SolutionStatus, string> = {
  in_development: 'info',
  pilot: 'warning',
  available: 'success',
};

export function SolutionStatusBadge({ status }: { status: SolutionStatus }) {
  const t = useT();
  return (
    <span className={`kern-badge kern-badge--${solutionVariant[status]}`}>
      <span className="kern-label kern-label--small">
        <span className="kern-sr-only">{t('efa.field.status')}: </span>
        {t(`efa.solutionStatus.${status}`)}
      </span>
    </span>
  );
}
