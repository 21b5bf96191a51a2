import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useRouteError } from 'react-router-dom';
import { LoginPage } from '../auth/LoginPage';
import { SessionProvider, useSession } from '../auth/session';
import { PageState } from '../components/PageState';
import { LocaleProvider, useLocale } from '../i18n/i18n';
import { AppLayout } from './AppLayout';
import { NotFound } from './NotFound';
import { cspNonce } from './csp-nonce';
import { pages, prefetchRoute } from './route-prefetch';

// The opened page's chunk and first data start loading now, beside GET /auth/me.
prefetchRoute(window.location.pathname, window.location.search);
const { calls: CallsPage, callDetail: CallDetailPage, rules: RulesPage, dashboard: DashboardPage, agent: AgentPage, upload: UploadPage } = pages;

const page = (el: ReactNode) => <Suspense fallback={<PageState loading error={undefined} />}>{el}</Suspense>;

function RouteError() {
  const e = useRouteError();
  return <PageState loading={false} error={e instanceof Error ? e : new Error(String(e))} />;
}

/** Where "/" leads: an agent to their own page, everyone else to the calls. */
function Home() {
  const { me } = useSession();
  if (me?.user.role === 'agent' && me.user.agentId) return <Navigate to={`/agents/${encodeURIComponent(me.user.agentId)}`} replace />;
  return <Navigate to="/calls" replace />;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/calls', element: page(<CallsPage />) },
      { path: '/calls/:id', element: page(<CallDetailPage />) },
      { path: '/rules', element: page(<RulesPage />) },
      { path: '/dashboard', element: page(<DashboardPage />) },
      { path: '/agents/:agentId', element: page(<AgentPage />) },
      { path: '/upload', element: page(<UploadPage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function Themed({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  return (
    // The CSP allows <style> only with the page's nonce: antd's CSS-in-JS gets it here.
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} csp={{ nonce: cspNonce() }} theme={{ zeroRuntime: true, algorithm: theme.defaultAlgorithm, token: { colorPrimary: '#1f6feb', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <Themed>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </Themed>
    </LocaleProvider>
  );
}
