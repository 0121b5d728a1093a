import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { SETUP_EVENT } from '../query-client';
import { isApiError } from '../../lib/api/problem';
import { SETUP_CODES } from '../../lib/api/mfa';
import { useQueryClient } from '@tanstack/react-query';
import { onUnauthenticated } from '../../lib/api/client';
import { ME_KEY, useMe } from '../../lib/session';
import { applyUserLanguage } from '../../i18n';
import { usePreferences } from '../../lib/preferences';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LoadingState } from '../../components/States';

/** Signed-in part of the app: no session → the sign-in page, coming back here afterwards. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  const qc = useQueryClient();
  const userId = me.data?.id;

  const navigate = useNavigate();
  useEffect(() => onUnauthenticated(() => qc.setQueryData(ME_KEY, null)), [qc]);
  useEffect(() => {
    const toSetup = () => void navigate('/setup', { replace: true });
    window.addEventListener(SETUP_EVENT, toSetup);
    return () => window.removeEventListener(SETUP_EVENT, toSetup);
  }, [navigate]);
  // The person's language, saved on the server, replaces the browser's default once it loads.
  const prefs = usePreferences(Boolean(userId));
  const savedLanguage = prefs.data?.language;
  useEffect(() => {
    if (userId) void applyUserLanguage(savedLanguage);
  }, [userId, savedLanguage]);

  if (me.isPending) return <LoadingState />;
  if (me.isError) {
    if (isApiError(me.error) && SETUP_CODES.has(me.error.code)) {
      return <Navigate to={`/setup?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
    }
    return <ErrorAlert error={me.error} />;
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
