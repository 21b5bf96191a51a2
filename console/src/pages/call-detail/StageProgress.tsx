import { Alert, Card, Steps } from 'antd';
import { STAGES, type StoredCall } from '../../api/call-list';
import { useT } from '../../i18n/i18n';
import { stageMessages } from '../upload/stage-messages';
import { messages } from './messages';

const STEP_STATUS = { pending: 'wait', queued: 'wait', running: 'process', done: 'finish', skipped: 'finish', failed: 'error' } as const;

/** A call still in the pipeline (or failed in it): where each stage stands. */
export function StageProgress({ call }: { call: StoredCall }) {
  const t = useT(messages);
  const s = useT(stageMessages);
  const failed = STAGES.find((stage) => call.stages[stage].status === 'failed');
  return (
    <Card size="small" className="tj-cd-card" data-testid="stage-progress">
      {failed ? (
        <Alert type="error" showIcon title={t('failedTitle')} description={t('failedText', { stage: s(failed), error: call.stages[failed].error ?? '' })} />
      ) : (
        <Alert type="info" showIcon title={t('processingTitle')} description={t('processingText')} />
      )}
      <Steps
        size="small"
        className="tj-gap-bottom"
        items={STAGES.map((stage) => ({ key: stage, title: s(stage), status: STEP_STATUS[call.stages[stage].status], content: call.stages[stage].note }))}
      />
    </Card>
  );
}
