import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { EmptyState } from './QueryState';

describe('EmptyState', () => {
  it("says it once: the page's own words replace the generic ones", () => {
    render(
      <I18nProvider locale="de">
        <EmptyState>
          <p>Keine Projekte gefunden.</p>
        </EmptyState>
      </I18nProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent(/^Keine Projekte gefunden\.$/);
    expect(screen.queryByText('Keine Einträge vorhanden.')).toBeNull();
  });

  it('falls back to the generic words', () => {
    render(
      <I18nProvider locale="de">
        <EmptyState />
      </I18nProvider>,
    );
    expect(screen.getByText('Keine Einträge vorhanden.')).toBeInTheDocument();
  });
});
