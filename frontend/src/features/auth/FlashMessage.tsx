// One-off success messages shown on the sign-in page after another flow ended.
import { Alert } from '@/components';
import { useT, type MessageKey } from '@/lib/i18n';
import type { FlashState } from '@/lib/routes';

const keys: Record<NonNullable<FlashState['flash']>, MessageKey> = {
  invitationAccepted: 'flash.invitationAccepted',
  passwordReset: 'flash.passwordReset',
  accountDeleted: 'flash.accountDeleted',
  signedOut: 'flash.signedOut',
  resetRequested: 'flash.resetRequested',
};

export function FlashMessage({ flash }: { flash: NonNullable<FlashState['flash']> }) {
  const t = useT();
  return <Alert variant="success" title={t(keys[flash])} />;
}
