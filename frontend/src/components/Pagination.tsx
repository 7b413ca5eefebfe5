// "Zurück" / "Seite X von Y" / "Weiter" for list endpoints ({page, limit, total}).
import { useT } from '@/lib/i18n';

interface PaginationProps {
  page: number;
  limit: number;
  total: number;
  onPageChange: (page: number) => void;
  label?: string;
}

export function Pagination({ page, limit, total, onPageChange, label }: PaginationProps) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / Math.max(1, limit)));
  return (
    <nav className="dn-pagination" aria-label={label ?? t('pagination.label')}>
      <button
        type="button"
        className="kern-btn kern-btn--secondary"
        disabled={page <= 1}
        onClick={() => onPageChange(page - 1)}
      >
        <span className="kern-label">{t('pagination.previous')}</span>
      </button>
      <span className="kern-body" aria-live="polite">
        {t('pagination.status', { page, pages })}
      </span>
      <button
        type="button"
        className="kern-btn kern-btn--secondary"
        disabled={page >= pages}
        onClick={() => onPageChange(page + 1)}
      >
        <span className="kern-label">{t('pagination.next')}</span>
      </button>
    </nav>
  );
}
