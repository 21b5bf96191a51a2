import { Alert, Button, Card, Progress, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { ReinspectionJob } from '../../api/rule-sets';
import { useReinspectionJob } from '../../api/use-reinspection-job';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';

const STATUS_KEY = { queued: 'jobQueued', running: 'jobRunning', done: 'jobDone', failed: 'jobFailed', cancelled: 'jobCancelled' } as const;

/**
 * A re-inspection job as it runs: a progress bar polling GET /api/v1/reinspections/:id every
 * second until it is done, failed or cancelled; then where to see the new results.
 */
export function ReinspectPanel(props: { job: ReinspectionJob; onClose: () => void }) {
  const t = useT(messages);
  // A failed poll is shown and tried again on the next tick (the job goes on on the server).
  const { job, error, over } = useReinspectionJob(props.job, { retryAfterError: true });
  const percent = Math.round(job.progress * 100);
  const status = job.status === 'failed' || job.status === 'cancelled' ? 'exception' : job.status === 'done' ? 'success' : 'active';
  return (
    <Card
      size="small"
      className="tj-gap-bottom"
      data-testid="reinspect-panel"
      title={t('reinspectTitle', { v: job.ruleSetVersion, id: job.id })}
      extra={
        over && (
          <Button size="small" onClick={props.onClose}>
            {t('close')}
          </Button>
        )
      }
    >
      <Progress percent={percent} status={status} data-testid="reinspect-progress" />
      <Space wrap>
        <Typography.Text data-testid="reinspect-status" data-status={job.status}>
          {t(STATUS_KEY[job.status])} · {t('jobCounts', { done: job.done, total: job.total, hit: job.hitCalls })}
        </Typography.Text>
        {job.status === 'done' && (
          <Link to="/calls" data-testid="reinspect-calls-link">
            {t('seeCalls')}
          </Link>
        )}
      </Space>
      {job.error && <Alert type="error" showIcon className="tj-gap-top" title={job.error} />}
      {error && <Alert type="warning" showIcon className="tj-gap-top" title={error.message} />}
    </Card>
  );
}
