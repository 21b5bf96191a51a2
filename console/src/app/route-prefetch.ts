import { listCalls } from '../api/call-list';
import { DETAIL_WAVEFORM_POINTS, fetchCallDetail, fetchWaveform } from '../api/call-detail';
import { fetchMe } from '../api/auth';
import { startEarly } from '../api/start-early';
import { listQuery, readView } from '../pages/calls/url-filters';
import { lazyPage } from './lazy-page';

/** Each page, a chunk of its own (the calls page does not load ECharts, wavesurfer or CodeMirror). */
export const pages = {
  calls: lazyPage(() => import('../pages/calls/CallsPage')),
  callDetail: lazyPage(() => import('../pages/call-detail/CallDetailPage')),
  rules: lazyPage(() => import('../pages/rules/RulesPage')),
  dashboard: lazyPage(() => import('../pages/dashboard/DashboardPage')),
  agent: lazyPage(() => import('../pages/agent/AgentPage')),
  upload: lazyPage(() => import('../pages/upload/UploadPage')),
};

/** The key under which the session finds the first GET /auth/me (auth/session.tsx). */
export const ME_KEY = 'auth:me';

/** The key under which the calls page finds its first list request. */
export const callsListKey = (query: unknown) => `calls:${JSON.stringify(query)}`;

/**
 * A page opened directly (a link, a reload) would otherwise wait in a chain: the app's code, then
 * GET /auth/me, then the page's chunk, then its data. Here, as the app starts, the page's chunk and
 * its first requests start as soon as /auth/me answers; the page takes them (start-early.ts).
 * Without a session they are not sent, and the login page shows instead.
 */
export function prefetchRoute(pathname: string, search: string): void {
  if (pathname === '/login') return;
  const me = fetchMe();
  startEarly(ME_KEY, () => me);
  // Data only once signed in: without a session, requests for calls would be 401s in the audit log.
  const signedIn = <T>(load: () => Promise<T>) => () => me.then(load);
  if (pathname === '/calls' || pathname === '/calls/') {
    void pages.calls.preload().catch(() => undefined);
    const view = readView(new URLSearchParams(search));
    if (!view.q) {
      const query = listQuery(view);
      startEarly(callsListKey(query), signedIn(() => listCalls(query)));
    }
    return;
  }
  const detail = /^\/calls\/([^/]+)$/.exec(pathname);
  if (detail) {
    const id = decodeURIComponent(detail[1]!);
    void pages.callDetail.preload().catch(() => undefined);
    startEarly(`detail:${id}`, signedIn(() => fetchCallDetail(id)));
    startEarly(`waveform:${id}`, signedIn(() => fetchWaveform(id, DETAIL_WAVEFORM_POINTS)));
    return;
  }
  const page = pathname.startsWith('/rules') ? pages.rules : pathname.startsWith('/dashboard') ? pages.dashboard : pathname.startsWith('/agents/') ? pages.agent : pathname.startsWith('/upload') ? pages.upload : null;
  void page?.preload().catch(() => undefined);
}
