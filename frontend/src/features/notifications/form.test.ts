import { describe, expect, it } from 'vitest';
import type { NotificationSettings } from './api';
import { formFieldOf, formFromSettings, formToBody, reapplyChoices } from './form';

const settings: NotificationSettings = {
  kinds: {
    mentions: 'immediate',
    assignments: 'immediate',
    followed_projects: 'digest',
    new_projects_district: 'digest',
    new_projects_network: 'off',
    efa_adoptions: 'digest',
    funding_deadlines: 'digest',
    support_requests: 'immediate',
  },
  digest: { frequency: 'weekly', weekday: 1, hour: 8, enabled: true },
  topics: ['t1'],
  version: 3,
};

describe('notification settings form', () => {
  it('round-trips the API body and sends the version back', () => {
    const values = formFromSettings(settings);
    expect(formToBody(values, 3)).toEqual(settings);
  });

  it('fills a kind the server left out with "digest"', () => {
    const values = formFromSettings({ ...settings, kinds: { mentions: 'off' } });
    expect(values.kinds.mentions).toBe('off');
    expect(values.kinds.support_requests).toBe('digest');
    expect(Object.keys(formToBody(values, 0).kinds)).toHaveLength(8);
  });

  it('after a 412 keeps the user choices on top of the fresh server copy', () => {
    const base = formFromSettings(settings);
    const mine = { ...base, frequency: 'daily' as const, hour: 18, kinds: { ...base.kinds, mentions: 'off' as const } };
    const server = formFromSettings({
      ...settings,
      kinds: { ...settings.kinds, mentions: 'digest', funding_deadlines: 'off' },
      digest: { ...settings.digest, weekday: 3 },
      version: 4,
    });
    const { values, conflicts } = reapplyChoices(base, mine, server);
    expect(values.frequency).toBe('daily');
    expect(values.hour).toBe(18);
    expect(values.kinds.mentions).toBe('off');
    expect(values.kinds.funding_deadlines).toBe('off');
    expect(values.weekday).toBe(3);
    expect(conflicts).toEqual(['mentions']);
  });

  it('treats missing topics as all topics and sends them back without duplicates', () => {
    const withoutTopics: NotificationSettings = { kinds: settings.kinds, digest: settings.digest, version: 3 };
    expect(formFromSettings(withoutTopics).topics).toEqual([]);
    const values = { ...formFromSettings(settings), topics: ['t2', 't1', 't2'] };
    expect(formToBody(values, 3).topics).toEqual(['t2', 't1']);
  });

  it('keeps the user topics after a 412 and compares them as a set', () => {
    const base = formFromSettings(settings);
    const server = formFromSettings({ ...settings, topics: ['t3'], version: 4 });
    const mine = { ...base, topics: ['t1', 't2'] };
    expect(reapplyChoices(base, mine, server)).toEqual({ values: { ...server, topics: ['t1', 't2'] }, conflicts: ['topics'] });
    const reordered = reapplyChoices(base, { ...base, topics: ['t1'] }, server);
    expect(reordered.values.topics).toEqual(['t3']);
    expect(formFieldOf('topics[0]')).toBe('topics');
  });

  it('maps server field names to form fields', () => {
    expect(formFieldOf('digest.hour')).toBe('hour');
    expect(formFieldOf('kinds.mentions')).toBe('mentions');
    expect(formFieldOf('hour')).toBe('hour');
    expect(formFieldOf('something')).toBeNull();
  });
});
