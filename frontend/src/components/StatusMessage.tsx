// A success confirmation announced politely: the live region (role=status) is in the page first
// and the message is put into it a moment later, so screen readers notice it even right after a
// page change.
import { useEffect, useState } from 'react';
import { useT } from '@/lib/i18n';

export function StatusMessage({ message }: { message: string | null }) {
  const t = useT();
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setShown(message), 50);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div role="status" className="dn-status-message">
      {shown ? (
        <div className="kern-alert kern-alert--success">
          <div className="kern-alert__header">
            <span className="kern-icon kern-icon--success" aria-hidden="true" />
            <span className="kern-title">
              <span className="kern-sr-only">{t('status.success')}: </span>
              {shown}
            </span>
          </div>
        </div>
      ) : null}
    </div>
  );
}
