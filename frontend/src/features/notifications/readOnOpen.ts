// Opening an object's page marks the user's unread notifications about it read, however the page
// was reached (a link in the feed, a mail, the address bar). Only detail pages count: a notification
// that points to a list ("/foerderung", "/efa/matrix") stays unread until it is opened in the feed.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { notificationsApi } from './api';
import { notificationKeys } from './queries';

/** Detail pages by their first path segments; the next segment is the object's id. */
const OBJECT_PAGES = [['projekte'], ['efa'], ['foerderung', 'antraege'], ['foerderung', 'programme'], ['unterstuetzung'], ['prozesse']];
/** Fixed pages under those prefixes that are not an object. */
const NOT_AN_ID = new Set(['neu', 'matrix', 'abdeckung', 'import', 'abweichungen', 'kandidaten', 'uebersicht', 'kalender', 'antraege', 'programme']);

/** The object page a path or link shows ("/projekte/p1#kommentare" → "/projekte/p1"), or null. */
export function objectPath(link: string): string | null {
  if (!link.startsWith('/') || link.startsWith('//')) return null;
  const segments = (link.split(/[?#]/)[0] ?? '').split('/').filter(Boolean);
  for (const prefix of OBJECT_PAGES) {
    const id = segments[prefix.length];
    if (segments.length === prefix.length + 1 && prefix.every((s, i) => segments[i] === s) && id && !NOT_AN_ID.has(id)) {
      return `/${segments.join('/')}`;
    }
  }
  return null;
}

/** Largest page the feed hands out; older unread notifications about the page stay for the feed. */
const UNREAD_PAGE = 100;

/**
 * Marks the unread notifications pointing to `pathname` read once per visit, when the unread count
 * (from the bell) says there are any; the bell and the feed are refreshed afterwards.
 */
export function useMarkReadOnOpen(pathname: string, unread: number | undefined) {
  const queryClient = useQueryClient();
  const target = objectPath(pathname);
  const known = unread !== undefined;
  const hasUnread = (unread ?? 0) > 0;
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (!target) {
      handled.current = null;
      return;
    }
    if (!known || handled.current === target) return;
    handled.current = target;
    if (!hasUnread) return;
    void (async () => {
      const feed = await notificationsApi.feed({ unread: true, page: 1, limit: UNREAD_PAGE });
      const ids = feed.items.filter((n) => !n.read && objectPath(n.link) === target).map((n) => n.id);
      if (!ids.length) return;
      await Promise.all(ids.map((id) => notificationsApi.markRead(id)));
      await queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    })().catch(() => undefined);
  }, [target, known, hasUnread, queryClient]);
}
