import { ExportOutlined } from '@ant-design/icons';
import { useErrorText } from '../../../i18n/error-messages';
import { Alert, Button, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { requestTranscriptExport } from '../../../api/call-bulk';
import { useT } from '../../../i18n/i18n';
import { messages } from '../messages';

const MIN_REASON = 5;

/** Ask for an export of the selected calls' transcripts (POST /api/v1/exports); it awaits someone else's approval. */
export function ExportAction({ callIds }: { callIds: string[] }) {
  const t = useT(messages);
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<{ id: string; status: string; url: string | null } | undefined>();
  const submit = async () => {
    if (reason.trim().length < MIN_REASON) return setError(t('exportReasonShort'));
    setBusy(true);
    setError(undefined);
    try {
      const r = await requestTranscriptExport(callIds, reason.trim());
      setOutcome({ id: r.export.id, status: r.export.status, url: r.download?.url ?? null });
    } catch (e) {
      setError(errorText(e).line);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setOutcome(undefined);
    setReason('');
    setError(undefined);
  };
  return (
    <>
      <Button icon={<ExportOutlined />} onClick={() => setOpen(true)} data-testid="bulk-export">
        {t('exportTranscripts')}
      </Button>
      <Modal
        title={t('exportTitle', { n: callIds.length })}
        open={open}
        onCancel={close}
        onOk={outcome ? close : submit}
        okText={outcome ? t('close') : t('exportTranscripts')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'export-submit' }}
        destroyOnHidden
      >
        {outcome ? (
          <Alert
            data-testid="export-outcome"
            type={outcome.url ? 'success' : 'info'}
            showIcon
            title={outcome.url ? t('exportApproved') : t('exportPending')}
            description={
              outcome.url ? (
                <a href={outcome.url} download>
                  {t('download')}
                </a>
              ) : (
                <Typography.Text copyable>{outcome.id}</Typography.Text>
              )
            }
          />
        ) : (
          <>
            <Typography.Paragraph>{t('exportReason')}</Typography.Paragraph>
            <Input.TextArea rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} status={error ? 'error' : undefined} data-testid="export-reason" />
            {error && <Typography.Text type="danger">{error}</Typography.Text>}
          </>
        )}
      </Modal>
    </>
  );
}
