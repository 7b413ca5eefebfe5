import { useT } from '@/lib/i18n';

export function SkipLink() {
  const t = useT();
  return (
    <a className="dn-skip-link kern-link" href="#main">
      {t('layout.skipToContent')}
    </a>
  );
}
