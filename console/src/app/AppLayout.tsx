import { AudioOutlined, BarChartOutlined, CloudUploadOutlined, FileSearchOutlined, LogoutOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import type { ReactElement } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Me } from '../api/auth';
import { useSession } from '../auth/session';
import { common } from '../i18n/common-messages';
import { useLocale, useT } from '../i18n/i18n';
import { PageState } from '../components/PageState';

/** The server names roles in Chinese (roleLabel); their English names. */
const ROLE_EN: Record<Me['user']['role'], string> = {
  admin: 'Administrator',
  qa_manager: 'QA manager',
  inspector: 'Inspector',
  team_lead: 'Team lead',
  agent: 'Agent',
  auditor: 'Auditor',
  integration: 'Integration',
};

/** The frame of every signed-in page: navigation by permission, the user, language, sign out. */
export function AppLayout() {
  const { me, failure, retry, signedOut, can, logout } = useSession();
  const t = useT(common);
  const { locale, setLocale } = useLocale();
  const location = useLocation();
  const navigate = useNavigate();
  if (me === undefined) return <PageState loading={!failure} error={failure} onRetry={retry} />;
  // A session that ended by itself (expired, signed out elsewhere) comes back to this page after
  // signing in; one the user ended starts afresh (the next user may be someone else).
  if (me === null) return <Navigate to="/login" replace state={signedOut ? null : { from: location.pathname + location.search }} />;
  const items = [
    can('calls:read') && { key: '/calls', icon: <AudioOutlined />, label: t('navCalls') },
    can('calls:read') && { key: '/dashboard', icon: <BarChartOutlined />, label: t('navDashboard') },
    me.user.agentId && { key: `/agents/${encodeURIComponent(me.user.agentId)}`, icon: <UserOutlined />, label: t('navMyPage') },
    can('rules:read') && { key: '/rules', icon: <FileSearchOutlined />, label: t('navRules') },
    can('calls:ingest') && { key: '/upload', icon: <CloudUploadOutlined />, label: t('navUpload') },
  ].filter((x): x is { key: string; icon: ReactElement; label: string } => Boolean(x));
  const selected = items.filter((i) => location.pathname.startsWith(i.key)).map((i) => i.key);
  return (
    <Layout className="tj-shell">
      <Layout.Header className="tj-header">
        <Typography.Text strong className="tj-brand">
          {t('appName')}
        </Typography.Text>
        <Menu theme="dark" mode="horizontal" selectedKeys={selected} items={items} onClick={(e) => navigate(e.key)} className="tj-nav" data-testid="nav" />
        <Space>
          <Typography.Text className="tj-user" data-testid="current-user">
            {me.user.displayName ?? me.user.username} · {locale === 'zh-CN' ? me.roleLabel : ROLE_EN[me.user.role]}
          </Typography.Text>
          <Button size="small" icon={<TranslationOutlined />} onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')} data-testid="switch-language">
            {t('language')}
          </Button>
          <Button size="small" icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
            {t('logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="tj-content">
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
