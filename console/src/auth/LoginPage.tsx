import { Alert, Button, Card, Divider, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { fetchOidc, type OidcInfo } from '../api/auth';
import { ApiError } from '../api/client';
import { useErrorText } from '../i18n/error-messages';
import { defineMessages, useLocale, useT } from '../i18n/i18n';
import { common } from '../i18n/common-messages';
import { useSession } from './session';

const m = defineMessages({
  'zh-CN': {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    required: '请输入{field}',
    subtitle: '呼叫中心全量质检',
    wrong: '用户名或密码错误',
    locked: '登录失败次数过多，账号已锁定 {minutes} 分钟（管理员可解锁）',
    disabled: '此账号已停用，请联系管理员',
  },
  'en-US': {
    title: 'Sign in',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    required: 'Enter the {field}',
    subtitle: '100% quality inspection of contact-center calls',
    wrong: 'Wrong user name or password',
    locked: 'Too many failed sign-ins: the account is locked for {minutes} minutes (an administrator can unlock it)',
    disabled: 'This account is disabled: ask an administrator',
  },
});

/** Password sign-in (POST /api/v1/auth/login) and, when configured, the SSO button. */
export function LoginPage() {
  const t = useT(m);
  const tc = useT(common);
  const { me, login } = useSession();
  const { locale, setLocale } = useLocale();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const errorText = useErrorText();
  // The server says why a sign-in failed in details.reason; other errors (network, rate limit) as any.
  const loginError = (e: unknown): string => {
    const d = e instanceof ApiError ? (e.details as { reason?: string; minutes?: number } | undefined) : undefined;
    if (d?.reason === 'wrong' || d?.reason === 'disabled') return t(d.reason);
    if (d?.reason === 'locked') return t('locked', { minutes: d.minutes ?? '' });
    return errorText(e).line;
  };
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcInfo | null>(null);
  useEffect(() => {
    fetchOidc().then(setOidc, () => setOidc(null));
  }, []);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (me) return <Navigate to={from} replace />;
  return (
    <div className="tj-login">
      <Card className="tj-login-card" title={<span>{tc('appName')}</span>} extra={<Button type="link" onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}>{tc('language')}</Button>}>
        <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
        {error && <Alert data-testid="login-error" type="error" showIcon title={error} className="tj-gap-bottom" />}
        <Form
          layout="vertical"
          onFinish={(v: { username: string; password: string }) => {
            setBusy(true);
            setError(null);
            login(v.username, v.password)
              .catch((e: unknown) => setError(loginError(e)))
              .finally(() => setBusy(false));
          }}
        >
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required', { field: t('username') }) }]}>
            <Input autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required', { field: t('password') }) }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('submit')}
          </Button>
        </Form>
        {oidc?.enabled && oidc.loginUrl && (
          <>
            <Divider />
            <Button block href={`${oidc.loginUrl}?returnTo=${encodeURIComponent(from)}`}>
              {oidc.buttonLabel}
            </Button>
          </>
        )}
      </Card>
    </div>
  );
}
