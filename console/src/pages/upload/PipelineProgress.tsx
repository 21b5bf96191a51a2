import { Alert, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { fetchCallStatus } from '../../api/call-ingest';
import { failedStage, STAGES, type StageState, type StoredCall } from '../../api/call-list';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import { stageMessages } from './stage-messages';

const POLL_MS = 1000;

const stepStatus = (s: StageState['status']): 'wait' | 'process' | 'finish' | 'error' =>
  s === 'done' || s === 'skipped' ? 'finish' : s === 'failed' ? 'error' : s === 'running' || s === 'queued' ? 'process' : 'wait';

const stateKey = {
  pending: 'stagePending',
  queued: 'stageQueued',
  running: 'stageRunning',
  done: 'stageDone',
  skipped: 'stageSkipped',
  failed: 'stageFailed',
} as const;

/** A call's way through the pipeline: polls GET /api/v1/calls/:id every second until it is done or failed. */
export function PipelineProgress({ call: first }: { call: StoredCall }) {
  const t = useT(messages);
  const stage = useT(stageMessages);
  const [call, setCall] = useState(first);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (call.status !== 'processing') return;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      fetchCallStatus(call.id, ac.signal).then(
        (c) => {
          setError(undefined);
          setCall(c);
        },
        (e: Error) => {
          if (ac.signal.aborted) return;
          setError(e.message);
          // Try again: a restart or a dropped connection should not end the follow-up.
          setCall((c) => ({ ...c }));
        },
      );
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [call]);
  const failed = failedStage(call);
  // The stage in hand is the first one not finished (none once all are).
  const current = STAGES.findIndex((s) => !['done', 'skipped'].includes(call.stages[s]?.status ?? 'pending'));
  return (
    <div className="tj-pipeline" data-testid="pipeline" data-status={call.status}>
      <Steps
        size="small"
        current={current < 0 ? STAGES.length : current}
        titlePlacement="vertical"
        items={STAGES.map((s) => {
          const st = call.stages[s];
          return {
            key: s,
            title: stage(s),
            status: stepStatus(st?.status ?? 'pending'),
            content: <span title={st?.error ?? st?.note}>{t(stateKey[st?.status ?? 'pending'])}</span>,
          };
        })}
      />
      <div className="tj-pipeline-foot">
        {call.status === 'done' && (
          <Typography.Text type="success" data-testid="pipeline-done">
            {t('pipelineDone')}
          </Typography.Text>
        )}
        {call.status === 'processing' && <Typography.Text type="secondary">{t('pipelineRunning')}</Typography.Text>}
        {failed && <Alert type="error" showIcon data-testid="pipeline-failed" title={t('pipelineFailed', { stage: stage(failed.stage), error: failed.error })} />}
        {error && <Typography.Text type="warning">{t('pollFailed', { error })}</Typography.Text>}
        <Link to={`/calls/${encodeURIComponent(call.id)}`} data-testid="pipeline-open-call">
          {t('openCall')}
        </Link>
      </div>
    </div>
  );
}
