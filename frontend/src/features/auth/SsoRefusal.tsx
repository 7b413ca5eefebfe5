// The German reason why the identity provider's sign-in was refused (/anmelden?sso_fehler=…).
import { useQuery } from '@tanstack/react-query';
import { Alert } from '@/components';
import { api, call } from '@/lib/api';
import { useT } from '@/lib/i18n';

export function SsoRefusal({ attempt }: { attempt: string }) {
  const t = useT();
  const known = attempt !== 'ungueltig';
  const info = useQuery({
    queryKey: ['sso-attempt', attempt],
    queryFn: () => call(() => api.GET('/api/v1/auth/oidc/attempts/{id}', { params: { path: { id: attempt } } })),
    enabled: known,
    retry: false,
  });
  if (known && info.isPending) return null;
  const message = info.data?.message ?? t('signIn.ssoInvalid');
  return (
    <Alert variant="danger" title={t('signIn.ssoRefused')}>
      <p className="kern-body">{message}</p>
    </Alert>
  );
}
