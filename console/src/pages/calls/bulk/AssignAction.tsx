import { UserAddOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Select, Typography } from 'antd';
import { useState } from 'react';
import { assignCall, fetchInspectors } from '../../../api/call-bulk';
import { useT } from '../../../i18n/i18n';
import { messages } from '../messages';
import { useLazy } from '../use-lazy';
import { runEach, type EachResult } from './run-each';

/** Assign the selected calls to an inspector: the list of inspectors loads when the dialog opens; one PUT per call with a count. */
export function AssignAction({ callIds, onDone }: { callIds: string[]; onDone: () => void }) {
  const t = useT(messages);
  const [open, setOpen] = useState(false);
  const [userId, setUserId] = useState<string | undefined>();
  const [done, setDone] = useState<number | undefined>();
  const [result, setResult] = useState<EachResult | undefined>();
  const inspectors = useLazy(async () => (await fetchInspectors()).items);
  const start = async () => {
    if (!userId) return;
    setResult(undefined);
    setDone(0);
    const r = await runEach(callIds, (id) => assignCall(id, userId), setDone);
    setResult(r);
    if (r.ok > 0) onDone();
  };
  const running = done !== undefined && result === undefined;
  const close = () => {
    setOpen(false);
    setDone(undefined);
    setResult(undefined);
  };
  return (
    <>
      <Button
        icon={<UserAddOutlined />}
        onClick={() => {
          setOpen(true);
          inspectors.ensure();
        }}
        data-testid="bulk-assign"
      >
        {t('assign')}
      </Button>
      <Modal
        title={t('assignTitle', { n: callIds.length })}
        open={open}
        onCancel={close}
        onOk={result ? close : start}
        okText={result ? t('close') : t('assign')}
        okButtonProps={{ disabled: !userId || running, loading: running }}
        destroyOnHidden
      >
        {inspectors.error && <Typography.Text type="danger">{inspectors.error.message}</Typography.Text>}
        <Select
          className="tj-full-width"
          showSearch={{ optionFilterProp: 'label' }}
          loading={inspectors.loading}
          placeholder={t('assignPick')}
          value={userId}
          onChange={setUserId}
          options={(inspectors.data ?? []).map((u) => ({ value: u.id, label: u.displayName ? `${u.displayName} (${u.username})` : u.username }))}
          data-testid="assign-inspector"
        />
        {done !== undefined && (
          <div className="tj-gap-top" data-testid="assign-progress">
            <Typography.Text>{t('assignProgress', { done, total: callIds.length })}</Typography.Text>
            <Progress percent={Math.round((done / callIds.length) * 100)} size="small" status={result?.failed ? 'exception' : undefined} />
          </div>
        )}
        {result && (
          <Alert
            type={result.failed ? 'warning' : 'success'}
            showIcon
            title={t('assignDone', { ok: result.ok })}
            description={result.failed ? t('someFailed', { failed: result.failed, error: result.firstError ?? '' }) : undefined}
          />
        )}
      </Modal>
    </>
  );
}
