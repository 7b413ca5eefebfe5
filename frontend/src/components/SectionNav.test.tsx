import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { anchoredSection, PageSectionGroup, SectionNav } from './SectionNav';

const SECTIONS = [
  { id: 'ueberblick', label: 'Überblick' },
  { id: 'partner', label: 'Partner' },
  { id: 'verlauf', label: 'Verlauf' },
];

function Hash() {
  return <output data-testid="hash">{useLocation().hash}</output>;
}

function Page({ at }: { at: string }) {
  return (
    <MemoryRouter initialEntries={[at]}>
      <SectionNav label="Abschnitte" sections={SECTIONS} />
      {SECTIONS.map((s) => (
        <PageSectionGroup key={s.id} id={s.id}>
          <h2>{s.label}</h2>
        </PageSectionGroup>
      ))}
      <Hash />
    </MemoryRouter>
  );
}

describe('SectionNav', () => {
  it('marks the first section as current without an anchor and focuses nothing', () => {
    render(<Page at="/projekte/1" />);
    const nav = screen.getByRole('navigation', { name: 'Abschnitte' });
    expect(nav).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Überblick' })).toHaveAttribute('aria-current', 'location');
    expect(screen.getByRole('link', { name: 'Partner' })).not.toHaveAttribute('aria-current');
    expect(screen.getByRole('link', { name: 'Partner' })).toHaveAttribute('href', '/projekte/1#partner');
    expect(document.activeElement).toBe(document.body);
  });

  it('focuses the section the URL points at (a link or a reload)', () => {
    render(<Page at="/projekte/1#verlauf" />);
    expect(document.activeElement).toBe(document.getElementById('verlauf'));
    expect(screen.getByRole('link', { name: 'Verlauf' })).toHaveAttribute('aria-current', 'location');
    expect(screen.getByRole('link', { name: 'Überblick' })).not.toHaveAttribute('aria-current');
  });

  it('keeps the anchor in the URL and moves focus when a link is chosen, also again', async () => {
    const user = userEvent.setup();
    render(<Page at="/projekte/1" />);
    await user.click(screen.getByRole('link', { name: 'Partner' }));
    expect(screen.getByTestId('hash')).toHaveTextContent('#partner');
    expect(document.activeElement).toBe(document.getElementById('partner'));
    expect(screen.getByRole('link', { name: 'Partner' })).toHaveAttribute('aria-current', 'location');
    // Focus moved away, the same link again brings it back.
    screen.getByRole('link', { name: 'Verlauf' }).focus();
    await user.click(screen.getByRole('link', { name: 'Partner' }));
    expect(document.activeElement).toBe(document.getElementById('partner'));
  });

  it('ignores anchors that are no section', () => {
    expect(anchoredSection(SECTIONS, '#partner')).toBe('partner');
    expect(anchoredSection(SECTIONS, '#kommentar-3')).toBeUndefined();
    expect(anchoredSection(SECTIONS, '')).toBeUndefined();
  });
});
