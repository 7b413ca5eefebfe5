// New password + repetition, checked for equality before sending.
import { TextField } from '@/components';
import { useT } from '@/lib/i18n';

interface Props {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
  passwordError?: string;
  repeatError?: string;
}

export function PasswordFields({ password, repeat, onPassword, onRepeat, passwordError, repeatError }: Props) {
  const t = useT();
  return (
    <>
      <TextField
        label={t('field.newPassword')}
        hint={t('field.passwordHint')}
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        error={passwordError}
        onChange={(e) => onPassword(e.target.value)}
      />
      <TextField
        label={t('field.passwordRepeat')}
        name="password_repeat"
        type="password"
        autoComplete="new-password"
        value={repeat}
        error={repeatError}
        onChange={(e) => onRepeat(e.target.value)}
      />
    </>
  );
}
