/** Who is signed in, and what their role allows; a 401 anywhere sends the app back to login. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isUnauthenticated, setUnauthenticatedHandler } from '../api/client.js';
import { api } from '../api/endpoints.js';
import type { Role, User } from '../api/types.js';

/** The session as the UI knows it. */
export type Session =
  | { readonly state: 'checking' }
  | { readonly state: 'signed-out' }
  | { readonly state: 'unreachable'; readonly error: unknown }
  | { readonly state: 'signed-in'; readonly user: User };

interface Auth {
  readonly session: Session;
  readonly signIn: (username: string, password: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
  readonly retry: () => void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** Checks the session cookie on start and tracks sign-in and sign-out. */
export const AuthProvider = ({ children }: { readonly children: ReactNode }) => {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setUnauthenticatedHandler(() => setSession({ state: 'signed-out' }));
    let current = true;
    api.me().then(
      ({ user }) => current && setSession({ state: 'signed-in', user }),
      (error: unknown) =>
        current &&
        setSession(isUnauthenticated(error) ? { state: 'signed-out' } : { state: 'unreachable', error }),
    );
    return () => {
      current = false;
      setUnauthenticatedHandler(undefined);
    };
  }, [attempt]);

  const signIn = useCallback(async (username: string, password: string) => {
    const { user } = await api.login(username, password);
    setSession({ state: 'signed-in', user });
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setSession({ state: 'signed-out' });
    }
  }, []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const value = useMemo(() => ({ session, signIn, signOut, retry }), [session, signIn, signOut, retry]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
};

/** The auth state and actions. */
export const useAuth = (): Auth => {
  const value = useContext(AuthContext);
  if (value === undefined) throw new Error('useAuth needs an <AuthProvider> above it');
  return value;
};

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** True when `user` has at least `role`. */
export const hasRole = (user: User | undefined, role: Role): boolean =>
  user !== undefined && RANK[user.role] >= RANK[role];

/** The signed-in user (pages under the signed-in layout only). */
export const useUser = (): User | undefined => {
  const { session } = useAuth();
  return session.state === 'signed-in' ? session.user : undefined;
};

/** True when the signed-in user may start, cancel and resume runs. */
export const useCanEdit = (): boolean => hasRole(useUser(), 'editor');
