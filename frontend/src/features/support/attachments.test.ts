import { describe, expect, it } from 'vitest';
import { mayReplyPublicly } from './Attachments';

describe('who may upload to a support request', () => {
  const request = { can_triage: false, municipality_id: 'm1' };

  it('lets coordinators (who triage) and the town’s officers upload, not members or other towns', () => {
    expect(mayReplyPublicly({ ...request, can_triage: true }, { role: 'coordinator', municipality: null })).toBe(true);
    expect(mayReplyPublicly(request, { role: 'officer', municipality: { id: 'm1' } })).toBe(true);
    expect(mayReplyPublicly(request, { role: 'officer', municipality: { id: 'm2' } })).toBe(false);
    expect(mayReplyPublicly(request, { role: 'member', municipality: { id: 'm1' } })).toBe(false);
  });
});
