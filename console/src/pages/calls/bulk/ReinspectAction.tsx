import { SyncOutlined } from '@ant-design/icons';
import { useErrorText } from '../../../i18n/error-messages';
import { Alert, Button, Popconfirm, Progress } from 'antd';
import { useEffect, useState } from 'react';
import { queueReinspection } from '../../../api/call-bulk';
import type { ReinspectionJob } from '../../../api/rule-sets';
import { useReinspectionJob } from '../../../api/use-reinspection-job';
import { useT } from '../../../i18n/i18n';
import { messages } from '../messages';

/** Polls a re-inspection job until it ends and shows its progress; tells the page when it is done. */
export function ReinspectionProgress({ job: first, onFinished, onClose }: { job: ReinspectionJob; onFinished: () => void; onClose: () => void }) {
  const t = useT(messages);
  const { job, error: pollError, over } = useReinspectionJob(first, { retryAfterError: false });
  const error = pollError?.message;
  useEffect(() => {
    if (over) onFinished();
  }, [over]);
  const failed = job.status === 'failed' || job.status === 'cancelled' || error !== undefined;
  const title =
    job.status === 'done'
      ? t('reinspectDone', { done: job.done, hits: job.hitCalls })
      : failed
        ? t('reinspectFailed', { error: error ?? job.error ?? job.status })
        : t('reinspectProgress', { version: job.ruleSetVersion, done: job.done, total: job.total });
  return (
    <Alert
      className="tj-gap-bottom"
      data-testid="reinspect-progress"
      data-status={job.status}
      type={job.status === 'done' ? 'success' : failed ? 'error' : 'info'}
      showIcon
      title={title}
      description={<Progress percent={Math.round(job.progress * 100)} status={failed ? 'exception' : job.status === 'done' ? 'success' : 'active'} size="small" />}
      closable={{ onClose }}
    />
  );
}

/** Re-inspect the selected calls with the published rule set (POST /api/v1/reinspections). */
export function ReinspectAction({ callIds, onQueued, onError }: { callIds: string[]; onQueued: (job: ReinspectionJob) => void; onError: (message: string) => void }) {
  const t = useT(messages);
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      onQueued(await queueReinspection(callIds));
    } catch (e) {
      onError(errorText(e).line);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm title={t('reinspectConfirm', { n: callIds.length })} onConfirm={run} okButtonProps={{ 'data-testid': 'reinspect-confirm' }}>
      <Button icon={<SyncOutlined />} loading={busy} data-testid="bulk-reinspect">
        {t('reinspect')}
      </Button>
    </Popconfirm>
  );
}
