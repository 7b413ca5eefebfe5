// The errors of a refused import or entry at the top of the form (GOV.UK/KERN pattern): it takes
// focus when it appears so keyboard and screen-reader users land on it; an error about a field
// links to that field.
import { useEffect, useId, useRef } from 'react';
import { useT } from '@/lib/i18n';

export interface SummaryError {
  message: string;
  /** The id of the input the error is about, if any. */
  target?: string;
}

export function ErrorSummary({ title, errors, more }: { title: string; errors: SummaryError[]; more?: number }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const key = errors.map((e) => e.message).join('|');
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (errors.length === 0) return null;
  return (
    <div className="kern-alert kern-alert--danger dn-error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--danger" aria-hidden="true" />
        <span className="kern-title" id={titleId}>
          {title}
        </span>
      </div>
      <div className="kern-alert__body">
        <ul className="dn-plain-list">
          {errors.map((e, i) => (
            <li key={`${i}-${e.message}`} className="kern-body">
              {e.target ? (
                <a
                  className="kern-link"
                  href={`#${e.target}`}
                  onClick={(ev) => {
                    const el = document.getElementById(e.target ?? '');
                    if (!el) return;
                    ev.preventDefault();
                    el.focus();
                  }}
                >
                  {e.message}
                </a>
              ) : (
                e.message
              )}
            </li>
          ))}
        </ul>
        {more ? <p className="kern-body">{t('usage.errors.more', { count: more })}</p> : null}
      </div>
    </div>
  );
}
