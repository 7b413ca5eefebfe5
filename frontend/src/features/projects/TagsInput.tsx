// Free tags: type and press Enter (or "Hinzufügen"); each tag has a remove button.
import { useState } from 'react';
import { Fieldset, TextField } from '@/components';
import { useT } from '@/lib/i18n';

interface Props {
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
}

export function TagsInput({ value, onChange, error }: Props) {
  const t = useT();
  const [draft, setDraft] = useState('');
  const add = () => {
    const tags = draft
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x && !value.includes(x));
    if (tags.length) onChange([...value, ...tags]);
    setDraft('');
  };
  return (
    <Fieldset legend={t('projects.field.tags')} hint={t('projects.tags.hint')} error={error}>
      {value.length ? (
        <ul className="dn-chip-list" aria-label={t('projects.tags.chosen')}>
          {value.map((tag) => (
            <li key={tag} className="dn-chip">
              <span className="kern-body">{tag}</span>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                aria-label={t('action.forItem', { action: t('projects.remove'), item: tag })}
                onClick={() => onChange(value.filter((x) => x !== tag))}
              >
                <span className="kern-icon kern-icon--close" aria-hidden="true" />
                <span className="kern-label">{t('projects.remove')}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="dn-inline-form">
        <TextField
          label={t('projects.tags.new')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="kern-btn kern-btn--secondary" onClick={add}>
          <span className="kern-label">{t('projects.add')}</span>
        </button>
      </div>
    </Fieldset>
  );
}
