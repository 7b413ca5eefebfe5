import { describe, expect, it } from 'vitest';
import { mayReplyPublicly } from './Attachments';

describe('who may upload to a support request', () => {
  it('follows the server’s can_reply flag (the policy decides, not a role table here)', () => {
    expect(mayReplyPublicly({ can_reply: true })).toBe(true);
    expect(mayReplyPublicly({ can_reply: false })).toBe(false);
  });
});
