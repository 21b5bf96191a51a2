import { Alert, Button, Empty, Spin } from 'antd';
import type { ReactNode } from 'react';
import { common } from '../i18n/common-messages';
import { useErrorText } from '../i18n/error-messages';
import { useT } from '../i18n/i18n';

/**
 * The three states every page shows the same way: loading (a spinner, data-testid=loading),
 * error (what its code means in the user's language, the server's message, a retry button;
 * data-testid=error), empty (data-testid=empty).
 * Children render only when there is data.
 */
export function PageState(props: {
  loading: boolean;
  error: Error | undefined;
  empty?: boolean;
  emptyText?: ReactNode;
  onRetry?: () => void;
  children?: ReactNode;
  /** Keep showing children while reloading (tables show their own spinner). */
  keepChildrenWhileLoading?: boolean;
}) {
  const t = useT(common);
  const errorText = useErrorText();
  if (props.error) {
    const { title, detail } = errorText(props.error);
    return (
      <Alert
        data-testid="error"
        type="error"
        showIcon
        title={title}
        description={detail ?? undefined}
        action={props.onRetry ? <Button onClick={props.onRetry}>{t('retry')}</Button> : undefined}
      />
    );
  }
  if (props.loading && !props.keepChildrenWhileLoading) {
    return (
      <div data-testid="loading" className="tj-page-state">
        <Spin description={t('loading')} />
      </div>
    );
  }
  if (props.empty) {
    return <Empty data-testid="empty" className="tj-page-empty" description={props.emptyText ?? t('empty')} />;
  }
  return <>{props.children}</>;
}
