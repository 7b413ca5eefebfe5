// Labelled KERN form controls; an error is tied to its input with aria-describedby. Optional fields
// carry one marker everywhere (OptionalMark: "Label – optional"); required ones carry none.
import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useT } from '@/lib/i18n';

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  children: ReactNode;
}

/** The one marker of an optional field, after its label or legend: " – optional". */
export function OptionalMark() {
  const t = useT();
  return <span className="kern-label__optional"> – {t('field.optional')}</span>;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldShell({ id, label, hint, error, optional, children }: FieldShellProps) {
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
        {optional ? <OptionalMark /> : null}
      </label>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="kern-error" id={`${id}-error`}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      ) : null}
      {children}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> & {
  label: string;
  hint?: string;
  error?: string;
  /** Marks the field optional (OptionalMark). */
  optional?: boolean;
  /** A fixed id (an error summary links to it); else a generated one. */
  id?: string;
};

export function TextField({ label, hint, error, optional, id: givenId, ...input }: TextFieldProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <input
        {...input}
        id={id}
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldShell>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className'> & {
  label: string;
  hint?: string;
  error?: string;
  options: { value: string; label: string }[];
  /** Marks the field optional (OptionalMark). */
  optional?: boolean;
  /** A fixed id (an error summary links to it); else a generated one. */
  id?: string;
};

export function SelectField({ label, hint, error, optional, options, id: givenId, ...select }: SelectFieldProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <div className="kern-form-input__select-wrapper">
        <select
          {...select}
          id={id}
          className={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </FieldShell>
  );
}

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'> & {
  label: string;
  hint?: string;
  error?: string;
  /** Marks the field optional (OptionalMark). */
  optional?: boolean;
  /** Extra ids for aria-describedby (e.g. a character counter). */
  describedByExtra?: string;
  /** Rendered right after the textarea (e.g. a suggestion list). */
  after?: ReactNode;
  id?: string;
};

export const TextAreaField = forwardRef<HTMLTextAreaElement, TextAreaFieldProps>(function TextAreaField(
  { label, hint, error, optional, describedByExtra, after, id: givenId, ...textarea },
  ref,
) {
  const generated = useId();
  const id = givenId ?? generated;
  const described = [describedBy(id, hint, error), describedByExtra].filter(Boolean).join(' ') || undefined;
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        {...textarea}
        ref={ref}
        id={id}
        className={`kern-form-input__input dn-textarea${error ? ' kern-form-input__input--error' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {after}
    </FieldShell>
  );
});

type CheckboxFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'type'> & {
  label: string;
  hint?: string;
  id?: string;
};

export function CheckboxField({ label, hint, id: givenId, ...input }: CheckboxFieldProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className="kern-form-check">
      <input
        {...input}
        type="checkbox"
        id={id}
        className="kern-form-check__checkbox"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="kern-hint dn-check-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}

type RadioFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'type'> & {
  label: string;
  hint?: string;
  id?: string;
};

export function RadioField({ label, hint, id: givenId, ...input }: RadioFieldProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className="kern-form-check">
      <input
        {...input}
        type="radio"
        id={id}
        className="kern-form-check__radio"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="kern-hint dn-check-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}

interface FieldsetProps {
  legend: string;
  hint?: string;
  error?: string;
  children: ReactNode;
  horizontal?: boolean;
  /** The fieldset's own id (an error summary links to it and focuses its first control). */
  id?: string;
  /** Marks the group optional (OptionalMark after the legend). */
  optional?: boolean;
}

export function Fieldset({ legend, hint, error, children, horizontal, id: givenId, optional }: FieldsetProps) {
  const id = useId();
  return (
    <fieldset
      id={givenId}
      className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      aria-describedby={[hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined}
    >
      <legend className="kern-label">
        {legend}
        {optional ? <OptionalMark /> : null}
      </legend>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="kern-error" id={`${id}-error`}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      ) : null}
      <div className={`kern-fieldset__body${horizontal ? ' kern-fieldset__body--horizontal' : ''}`}>{children}</div>
    </fieldset>
  );
}
