// Restores the session from the refresh cookie on start-up and follows the user's language.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, onSessionChange, refreshSession, setAccessToken, type Me } from '@/lib/api';
import { useI18n } from '@/lib/i18n';
import { AuthContext, type AuthValue, type SessionStatus } from './context';

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('restoring');
  const [me, setMeState] = useState<Me | null>(null);
  const { setLocale } = useI18n();
  const queryClient = useQueryClient();

  const setMe = useCallback(
    (next: Me) => {
      setMeState(next);
      setStatus('authenticated');
      setLocale(next.locale);
    },
    [setLocale],
  );

  const clearSession = useCallback(() => {
    setAccessToken(null);
    setMeState(null);
    setStatus('anonymous');
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    const off = onSessionChange((session) => {
      if (session) setMe(session.user);
      else clearSession();
    });
    void refreshSession().then((session) => {
      if (!session) setStatus('anonymous');
    });
    return off;
  }, [setMe, clearSession]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const session = await call(() => api.POST('/api/v1/auth/login', { body: { email, password } }));
      setAccessToken(session.access_token);
      setMe(session.user);
      return session.user;
    },
    [setMe],
  );

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/logout');
    } finally {
      clearSession();
    }
  }, [clearSession]);

  const value = useMemo<AuthValue>(
    () => ({ status, me, signIn, signOut, clearSession, setMe }),
    [status, me, signIn, signOut, clearSession, setMe],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
