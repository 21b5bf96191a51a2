import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { common } from '../i18n/common-messages';
import { useT } from '../i18n/i18n';

export function NotFound() {
  const t = useT(common);
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('backHome')}</Button>
        </Link>
      }
    />
  );
}
