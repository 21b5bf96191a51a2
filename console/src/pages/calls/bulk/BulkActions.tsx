import { RedoOutlined } from '@ant-design/icons';
import { App, Button, Typography } from 'antd';
import { useState } from 'react';
import { retryCall } from '../../../api/call-bulk';
import type { ReinspectionJob } from '../../../api/rule-sets';
import type { CallListItem } from '../../../api/call-list';
import { useSession } from '../../../auth/session';
import { useT } from '../../../i18n/i18n';
import { messages } from '../messages';
import { AssignAction } from './AssignAction';
import { ExportAction } from './ExportAction';
import { ReinspectAction, ReinspectionProgress } from './ReinspectAction';
import { runEach } from './run-each';

/** The permissions of the bulk actions below: without any of them, rows are not selectable. */
export const BULK_PERMISSIONS = ['reinspect:run', 'calls:assign', 'calls:retry', 'exports:request'] as const;

/**
 * What can be done with the selected rows, each shown only with its permission: re-inspect
 * (reinspect:run), assign (calls:assign), retry the failed ones (calls:retry), export transcripts
 * (exports:request). A re-inspection's progress stays on screen after the selection is cleared.
 */
export function BulkActions({ selected, onClear, onChanged }: { selected: CallListItem[]; onClear: () => void; onChanged: () => void }) {
  const t = useT(messages);
  const { can } = useSession();
  const { message } = App.useApp();
  const [job, setJob] = useState<ReinspectionJob | undefined>();
  const [retrying, setRetrying] = useState<string | undefined>();
  const ids = selected.map((c) => c.id);
  const failed = selected.filter((c) => c.status === 'failed').map((c) => c.id);

  const retry = async () => {
    setRetrying(`0/${failed.length}`);
    const r = await runEach(failed, retryCall, (n) => setRetrying(`${n}/${failed.length}`));
    setRetrying(undefined);
    if (r.ok) void message.success(t('retryDone', { ok: r.ok }));
    if (r.failed) void message.error(t('someFailed', { failed: r.failed, error: r.firstError ?? '' }));
    onChanged();
  };

  return (
    <>
      {job && <ReinspectionProgress key={job.id} job={job} onFinished={onChanged} onClose={() => setJob(undefined)} />}
      {selected.length > 0 && (
        <div className="tj-bulk-bar" data-testid="bulk-bar">
          <Typography.Text strong data-testid="bulk-count">
            {t('selected', { n: selected.length })}
          </Typography.Text>
          {can('reinspect:run') && <ReinspectAction callIds={ids} onQueued={setJob} onError={(m) => void message.error(m)} />}
          {can('calls:assign') && <AssignAction callIds={ids} onDone={onChanged} />}
          {can('calls:retry') && (
            <Button icon={<RedoOutlined />} disabled={failed.length === 0} title={failed.length === 0 ? t('retryNone') : undefined} loading={retrying !== undefined} onClick={() => void retry()} data-testid="bulk-retry">
              {retrying ? `${t('retry')} ${retrying}` : t('retry')}
            </Button>
          )}
          {can('exports:request') && <ExportAction callIds={ids} />}
          <Button type="link" onClick={onClear} data-testid="bulk-clear">
            {t('clearSelection')}
          </Button>
        </div>
      )}
    </>
  );
}
