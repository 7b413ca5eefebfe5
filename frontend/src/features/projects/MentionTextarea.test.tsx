import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { projectsApi } from './api';
import { MentionTextarea } from './MentionTextarea';

afterEach(() => {
  vi.restoreAllMocks();
});

function Harness() {
  const [value, setValue] = useState('');
  return <MentionTextarea projectId="p1" label="Kommentar" value={value} onChange={setValue} />;
}

describe('comment field with @ suggestions', () => {
  it('stays a textbox (a textarea may not be a combobox, axe aria-allowed-role) that points at its listbox', async () => {
    vi.spyOn(projectsApi, 'mentionable').mockResolvedValue({
      items: [{ id: 'u2', name: 'Sabine Kramer', municipality_name: null }],
    });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider locale="de">
          <Harness />
        </I18nProvider>
      </QueryClientProvider>,
    );
    const field = screen.getByRole('textbox', { name: /^Kommentar/ });
    await userEvent.setup().type(field, 'Danke @Sab');
    const list = await screen.findByRole('listbox');
    await screen.findByRole('option', { name: 'Sabine Kramer' });
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(field).not.toHaveAttribute('role');
    expect(field).not.toHaveAttribute('aria-expanded');
    expect(field).toHaveAttribute('aria-autocomplete', 'list');
    expect(field).toHaveAttribute('aria-controls', list.id);
    expect(field.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: 'Sabine Kramer' }).id);
  });
});
