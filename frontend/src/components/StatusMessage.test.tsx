import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { StatusMessage } from './StatusMessage';

describe('StatusMessage', () => {
  it('is a polite live region first and shows the message a moment later', async () => {
    render(
      <I18nProvider locale="de">
        <StatusMessage message="Die Änderungen am Projekt sind gespeichert." />
      </I18nProvider>,
    );
    const region = screen.getByRole('status');
    expect(region).toBeEmptyDOMElement();
    expect(await screen.findByText('Die Änderungen am Projekt sind gespeichert.')).toBeInTheDocument();
    expect(region).toHaveTextContent('Erfolg: Die Änderungen am Projekt sind gespeichert.');
  });

  it('stays an empty region without a message', () => {
    render(
      <I18nProvider locale="de">
        <StatusMessage message={null} />
      </I18nProvider>,
    );
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });
});
