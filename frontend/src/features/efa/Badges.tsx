// Adoption and solution status as text in a coloured KERN badge with an icon.
import { useT } from '@/lib/i18n';
import { adoptionLook } from './status';
import type { AdoptionStatus, SolutionStatus } from './types';

/** `compact`: the matrix's short word (an abbr with the full label where they differ). */
export function AdoptionBadge({ status, srPrefix = true, compact = false }: { status: AdoptionStatus; srPrefix?: boolean; compact?: boolean }) {
  const t = useT();
  const look = adoptionLook[status];
  const full = t(look.label);
  const short = compact ? t(look.short) : full;
  return (
    <span className={`kern-badge kern-badge--${look.variant} dn-adoption dn-adoption--${status}${compact ? ' dn-adoption--compact' : ''}`}>
      <span className={`kern-icon kern-icon--${look.icon} kern-icon--small`} aria-hidden="true" />
      <span className="kern-label kern-label--small">
        {srPrefix ? <span className="kern-sr-only">{t('efa.adoption.status')}: </span> : null}
        {short === full ? full : <abbr title={full}>{short}</abbr>}
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
