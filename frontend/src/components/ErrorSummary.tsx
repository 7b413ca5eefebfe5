// The error summary of a form (the GOV.UK / KERN pattern): after a failed submit it sits at the
// top of the form, takes focus, and links every error to its field.
import { useEffect, useRef, type MouseEvent } from 'react';
import { useT } from '@/lib/i18n';

export interface SummaryError {
  /** The id of the field's control (or of a container: its first control gets focus). */
  target: string;
  /** The field's visible label. */
  label: string;
  message: string;
}

/**
 * The errors in the order of the form: `order` lists the fields top to bottom, `targets` and
 * `labels` name their control and label; errors of fields not in `order` come last.
 */
export function summaryErrors<F extends string>(
  errors: Partial<Record<F, string | undefined>>,
  order: readonly F[],
  targets: (field: F) => string,
  labels: (field: F) => string,
): SummaryError[] {
  const fields = [
    ...order.filter((f) => errors[f]),
    ...(Object.keys(errors) as F[]).filter((f) => errors[f] && !order.includes(f)),
  ];
  return fields.map((f) => ({ target: targets(f), label: labels(f), message: errors[f] ?? '' }));
}

const FOCUSABLE = 'input:not([type=hidden]):not([disabled]), select, textarea, button, [tabindex]';

/** Moves focus to the control of `target` and shows its label. */
export function focusField(target: string): boolean {
  const el = document.getElementById(target);
  if (!el) return false;
  const control = el.matches(FOCUSABLE) ? el : el.querySelector<HTMLElement>(FOCUSABLE);
  if (!control) return false;
  // The label sits above the control: bring the field's wrapper into view, not just the input.
  const wrapper = control.closest('.kern-form-input, fieldset, .kern-form-check') ?? control;
  wrapper.scrollIntoView({ block: 'start', behavior: 'instant' });
  control.focus({ preventScroll: true });
  return true;
}

interface ErrorSummaryProps {
  errors: SummaryError[];
  /** Changes with every failed submit: the summary then takes focus (again). */
  attempt: number;
  title?: string;
}

export function ErrorSummary({ errors, attempt, title }: ErrorSummaryProps) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const shown = errors.length > 0;
  useEffect(() => {
    if (attempt > 0 && shown) {
      ref.current?.scrollIntoView({ block: 'start', behavior: 'instant' });
      ref.current?.focus({ preventScroll: true });
    }
  }, [attempt, shown]);
  if (!shown) return null;
  const jump = (e: MouseEvent<HTMLAnchorElement>, target: string) => {
    if (focusField(target)) e.preventDefault();
  };
  return (
    <div
      ref={ref}
      className="kern-alert kern-alert--danger dn-error-summary"
      tabIndex={-1}
      aria-labelledby="error-summary-title"
      role="group"
      data-testid="error-summary"
    >
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--danger" aria-hidden="true" />
        <h2 className="kern-title" id="error-summary-title">
          {title ?? t('form.errorSummary.title')}
        </h2>
      </div>
      <div className="kern-alert__body">
        <ul className="dn-error-summary__list">
          {errors.map((e) => (
            <li key={e.target}>
              <a className="kern-link" href={`#${e.target}`} onClick={(ev) => jump(ev, e.target)}>
                {e.label}: {e.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
