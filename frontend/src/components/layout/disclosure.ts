// A disclosure (menu button + panel): Escape closes it and puts focus back on the button; a
// followed link, another page and (for dropdowns) a click outside close it too.
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { useLocation } from 'react-router';

export interface Disclosure {
  open: boolean;
  toggle: () => void;
  close: () => void;
}

/**
 * `buttonRef` and `panelRef` belong to the caller's button and panel; `outsideCloses`: a click
 * outside both closes it (dropdowns; not the phone menu).
 */
export function useDisclosure(
  buttonRef: RefObject<HTMLButtonElement | null>,
  panelRef: RefObject<HTMLElement | null>,
  { outsideCloses = false }: { outsideCloses?: boolean } = {},
): Disclosure {
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  const [shownAt, setShownAt] = useState(pathname);

  // Another page: the panel closes (adjusting state while rendering). Only the path counts, as
  // pages rewrite their query string (filters) on their own.
  if (shownAt !== pathname) {
    setShownAt(pathname);
    if (open) setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (e: MouseEvent) => {
      const target = e.target as Node | null;
      if (!target || buttonRef.current?.contains(target) || panelRef.current?.contains(target)) return;
      setOpen(false);
    };
    // A link in the panel was followed (perhaps to the page already shown): done with it.
    const onLink = (e: MouseEvent) => {
      if ((e.target as Element | null)?.closest('a')) setOpen(false);
    };
    const panel = panelRef.current;
    document.addEventListener('keydown', onKey);
    panel?.addEventListener('click', onLink);
    if (outsideCloses) document.addEventListener('mousedown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      panel?.removeEventListener('click', onLink);
      document.removeEventListener('mousedown', onPointer);
    };
  }, [open, outsideCloses, buttonRef, panelRef]);

  const toggle = useCallback(() => setOpen((o) => !o), []);
  const close = useCallback(() => setOpen(false), []);
  return { open, toggle, close };
}
