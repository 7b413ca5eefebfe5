// In-page navigation to the sections of a long detail page (project, funding application):
// a list of links to anchors (`#partner`), so a link or a reload lands on the section. The
// section is focused when its anchor is chosen (which scrolls it into view and moves screen
// readers there); the current one is marked with aria-current.
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

export interface PageSection {
  /** The anchor, and the id of the section's element (which needs tabIndex={-1}). */
  id: string;
  /** The translated link text. */
  label: string;
}

/** The section the URL's anchor points at, if it is one of `sections`. */
export function anchoredSection(sections: readonly PageSection[], hash: string): string | undefined {
  const id = decodeURIComponent(hash.replace(/^#/, ''));
  return sections.some((s) => s.id === id) ? id : undefined;
}

export function SectionNav({ label, sections }: { label: string; sections: readonly PageSection[] }) {
  const { hash, key } = useLocation();
  const anchored = anchoredSection(sections, hash);
  // Without an anchor the page starts with its first section.
  const current = anchored ?? sections[0]?.id;
  useEffect(() => {
    // Every navigation to an anchor (also choosing the same link again, or a reload) focuses its section.
    // The section's start at the top (focus alone would centre a tall section and hide its heading).
    const target = anchored ? document.getElementById(anchored) : null;
    if (!target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'start' });
  }, [anchored, key]);
  return (
    <nav aria-label={label} className="dn-section-nav">
      <ul className="kern-btn-wrapper">
        {sections.map((s) => (
          <li key={s.id}>
            <Link to={{ hash: `#${s.id}` }} className="kern-link" aria-current={current === s.id ? 'location' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The element a section link points at: focusable by script only, not a Tab stop. */
export function PageSectionGroup({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div id={id} className="kern-stack-lg dn-section-group" tabIndex={-1}>
      {children}
    </div>
  );
}
