// KERN alert; danger alerts are announced (role=alert), the others politely (role=status).
import type { ReactNode } from 'react';

export type AlertVariant = 'danger' | 'success' | 'info' | 'warning';

interface AlertProps {
  variant: AlertVariant;
  title: string;
  children?: ReactNode;
}

export function Alert({ variant, title, children }: AlertProps) {
  return (
    <div className={`kern-alert kern-alert--${variant}`} role={variant === 'danger' ? 'alert' : 'status'}>
      <div className="kern-alert__header">
        <span className={`kern-icon kern-icon--${variant}`} aria-hidden="true" />
        <span className="kern-title">{title}</span>
      </div>
      {children ? <div className="kern-alert__body">{children}</div> : null}
    </div>
  );
}
