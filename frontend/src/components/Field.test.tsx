import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { Fieldset, SelectField, TextAreaField, TextField } from './Field';

describe('optional fields', () => {
  it('carry one marker, the same after every label and legend; required ones none', () => {
    render(
      <I18nProvider locale="de">
        <TextField label="Titel" required />
        <TextField label="Zieldatum" optional />
        <SelectField label="Aufruf" optional options={[{ value: '', label: 'Kein bestimmter Aufruf' }]} />
        <TextAreaField label="Notizen" optional />
        <Fieldset legend="Verknüpfte Projekte" optional>
          <input type="checkbox" aria-label="Projekt A" />
        </Fieldset>
      </I18nProvider>,
    );
    expect(screen.getByLabelText('Titel')).toBeRequired();
    expect(screen.getByLabelText('Zieldatum – optional')).toBeInTheDocument();
    expect(screen.getByLabelText('Aufruf – optional')).toBeInTheDocument();
    expect(screen.getByLabelText('Notizen – optional')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Verknüpfte Projekte – optional' })).toBeInTheDocument();
    expect(document.querySelectorAll('.kern-label__optional')).toHaveLength(4);
  });
});
