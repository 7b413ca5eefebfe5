// A 1–5 rating: stars (with an aria-label) and the same as text, "4 von 5".
import { useT } from '@/lib/i18n';

export function Stars({ rating }: { rating: number }) {
  const t = useT();
  const full = Math.max(0, Math.min(5, Math.round(rating)));
  return (
    <span className="dn-rating">
      <span className="dn-stars" role="img" aria-label={t('efa.report.stars', { rating: full })}>
        {'★'.repeat(full)}
        {'☆'.repeat(5 - full)}
      </span>{' '}
      <span className="kern-body kern-body--small" aria-hidden="true">
        {t('efa.report.ratingText', { rating: full })}
      </span>
    </span>
  );
}
