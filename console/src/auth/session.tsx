import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchMe, login as apiLogin, logout as apiLogout, type Me } from '../api/auth';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { takeEarly } from '../api/start-early';
import { ME_KEY } from '../app/route-prefetch';

interface Session {
  /** undefined while the first /auth/me is in flight (or after it failed: see failure); null when signed out. */
  me: Me | null | undefined;
  /** /auth/me got no answer or a server error: shown with a retry, not as a login form. */
  failure: Error | undefined;
  retry: () => void;
  /** The user signed out here: the next sign-in starts afresh, not on the page they left. */
  signedOut: boolean;
  can: (permission: string) => boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session>({ me: undefined, failure: undefined, retry: () => undefined, signedOut: false, can: () => false, login: async () => undefined, logout: async () => undefined });

/** The signed-in user (GET /api/v1/auth/me), kept with its CSRF token for the api client. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const accept = useCallback((m: Me | null) => {
    setCsrfToken(m?.csrfToken ?? null);
    setMe(m);
  }, []);
  const [failure, setFailure] = useState<Error | undefined>();
  const [signedOut, setSignedOut] = useState(false);
  // A 401 means no session (the login page); anything else is a failure to show and retry.
  const settle = useCallback(
    (p: Promise<Me>) => {
      setFailure(undefined);
      p.then(accept, (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) accept(null);
        else setFailure(e instanceof Error ? e : new Error(String(e)));
      });
    },
    [accept],
  );
  useEffect(() => {
    setUnauthorizedHandler(() => accept(null));
    settle(takeEarly(ME_KEY, () => fetchMe()));
    return () => setUnauthorizedHandler(null);
  }, [accept, settle]);
  const value = useMemo<Session>(
    () => ({
      me,
      failure,
      retry: () => settle(fetchMe()),
      signedOut,
      can: (p) => me?.permissions.includes(p) ?? false,
      login: async (u, p) => {
        accept(await apiLogin(u, p));
        setSignedOut(false);
      },
      logout: async () => {
        await apiLogout().catch(() => undefined);
        setSignedOut(true);
        accept(null);
      },
    }),
    [me, failure, signedOut, accept, settle],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
