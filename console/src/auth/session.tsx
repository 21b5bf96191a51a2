import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchMe, login as apiLogin, logout as apiLogout, type Me } from '../api/auth';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';

interface Session {
  /** undefined while the first /auth/me is in flight; null when signed out. */
  me: Me | null | undefined;
  can: (permission: string) => boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session>({ me: undefined, can: () => false, login: async () => undefined, logout: async () => undefined });

/** The signed-in user (GET /api/v1/auth/me), kept with its CSRF token for the api client. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const accept = useCallback((m: Me | null) => {
    setCsrfToken(m?.csrfToken ?? null);
    setMe(m);
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => accept(null));
    fetchMe().then(accept, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) accept(null);
      else accept(null);
    });
    return () => setUnauthorizedHandler(null);
  }, [accept]);
  const value = useMemo<Session>(
    () => ({
      me,
      can: (p) => me?.permissions.includes(p) ?? false,
      login: async (u, p) => accept(await apiLogin(u, p)),
      logout: async () => {
        await apiLogout().catch(() => undefined);
        accept(null);
      },
    }),
    [me, accept],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
