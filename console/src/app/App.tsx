import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useRouteError } from 'react-router-dom';
import { LoginPage } from '../auth/LoginPage';
import { SessionProvider, useSession } from '../auth/session';
import { PageState } from '../components/PageState';
import { LocaleProvider, useLocale } from '../i18n/i18n';
import { AppLayout } from './AppLayout';
import { NotFound } from './NotFound';
import { cspNonce } from './csp-nonce';

// Each page is its own chunk: the calls page does not load ECharts, wavesurfer or CodeMirror.
const CallsPage = lazy(() => import('../pages/calls/CallsPage'));
const CallDetailPage = lazy(() => import('../pages/call-detail/CallDetailPage'));
const RulesPage = lazy(() => import('../pages/rules/RulesPage'));
const DashboardPage = lazy(() => import('../pages/dashboard/DashboardPage'));
const AgentPage = lazy(() => import('../pages/agent/AgentPage'));
const UploadPage = lazy(() => import('../pages/upload/UploadPage'));

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
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} csp={{ nonce: cspNonce() }} theme={{ algorithm: theme.defaultAlgorithm, token: { colorPrimary: '#1f6feb', borderRadius: 6 } }}>
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
