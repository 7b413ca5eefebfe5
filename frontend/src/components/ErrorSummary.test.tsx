import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { ErrorSummary, summaryErrors } from './ErrorSummary';
import { Fieldset, RadioField, TextField } from './Field';

describe('summaryErrors', () => {
  it('lists errors in the order of the form, unknown fields last, empty ones not at all', () => {
    const list = summaryErrors<string>(
      { email: 'Ungültig', title: 'Pflichtfeld', extra: 'Unbekannt', summary: undefined },
      ['title', 'summary', 'email'],
      (f) => `f-${f}`,
      (f) => f.toUpperCase(),
    );
    expect(list).toEqual([
      { target: 'f-title', label: 'TITLE', message: 'Pflichtfeld' },
      { target: 'f-email', label: 'EMAIL', message: 'Ungültig' },
      { target: 'f-extra', label: 'EXTRA', message: 'Unbekannt' },
    ]);
  });
});

function Form() {
  const [attempt, setAttempt] = useState(0);
  const errors =
    attempt > 0
      ? [
          { target: 'title', label: 'Titel', message: 'Bitte ausfüllen.' },
          { target: 'choice', label: 'Sichtbarkeit', message: 'Bitte wählen.' },
        ]
      : [];
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setAttempt((a) => a + 1);
      }}
    >
      <ErrorSummary errors={errors} attempt={attempt} />
      <TextField id="title" label="Titel" />
      <Fieldset id="choice" legend="Sichtbarkeit">
        <RadioField name="v" value="a" label="A" />
        <RadioField name="v" value="b" label="B" />
      </Fieldset>
      <button type="submit">Speichern</button>
    </form>
  );
}

describe('ErrorSummary', () => {
  it('takes focus after a failed submit and its links move focus to the fields', async () => {
    render(
      <I18nProvider locale="de">
        <Form />
      </I18nProvider>,
    );
    expect(screen.queryByTestId('error-summary')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    const summary = screen.getByRole('group', { name: 'Bitte korrigieren Sie die folgenden Angaben' });
    expect(summary).toHaveFocus();
    await userEvent.click(screen.getByRole('link', { name: 'Titel: Bitte ausfüllen.' }));
    expect(screen.getByLabelText('Titel')).toHaveFocus();
    await userEvent.click(screen.getByRole('link', { name: 'Sichtbarkeit: Bitte wählen.' }));
    expect(screen.getByLabelText('A')).toHaveFocus();
    // A second failed submit brings focus back to the summary.
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(summary).toHaveFocus();
  });
});
