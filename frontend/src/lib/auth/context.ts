// Who is signed in: shared by the app frame and every feature.
import { createContext, useContext } from 'react';
import type { Me } from '@/lib/api';

export type SessionStatus = 'restoring' | 'anonymous' | 'authenticated';

export interface AuthValue {
  status: SessionStatus;
  me: Me | null;
  /** Throws ApiError on failure. */
  signIn: (email: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  /** Forget the session locally (e.g. after the account was deleted). */
  clearSession: () => void;
  setMe: (me: Me) => void;
}

export const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user; only for pages behind RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
