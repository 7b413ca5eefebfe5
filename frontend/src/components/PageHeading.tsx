// The page's h1; sets the document title and takes focus after client-side navigation.
import { useEffect, useRef } from 'react';
import { useT } from '@/lib/i18n';

let firstPage = true;

export function PageHeading({ children }: { children: string }) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} – ${t('app.name')}`;
  }, [children, t]);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    ref.current?.focus();
  }, []);
  return (
    <h1 className="kern-heading-large" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}
