import { DeleteOutlined, FileTextOutlined, PaperClipOutlined, SoundOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Space, Tag, Typography, Upload } from 'antd';
import type { StoredCall } from '../../api/call-list';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import { PipelineProgress } from './PipelineProgress';
import type { UploadEntry } from './upload-files';

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** One file on the upload page: what it is, its metadata, the upload's progress, then the call's pipeline. */
export function UploadEntryCard(props: { entry: UploadEntry; call: StoredCall | undefined; onChange: (e: UploadEntry) => void; onRemove: () => void }) {
  const { entry: e } = props;
  const t = useT(messages);
  const ready = e.phase === 'ready';
  const phase = { ready: t('waiting'), uploading: t('uploading'), accepted: t('accepted'), failed: t('failed') }[e.phase];
  return (
    <Card size="small" className="tj-upload-entry" data-testid="upload-entry" data-phase={e.phase} data-name={e.file.name}>
      <div className="tj-upload-entry-head">
        <Space wrap>
          {e.kind === 'recording' ? <SoundOutlined /> : <FileTextOutlined />}
          <Typography.Text strong>{e.file.name}</Typography.Text>
          <Typography.Text type="secondary">{size(e.file.size)}</Typography.Text>
          <Tag>{t(e.kind)}</Tag>
          {e.kind === 'recording' &&
            (e.metadata ? (
              <Tag icon={<PaperClipOutlined />} closable={ready} onClose={() => props.onChange({ ...e, metadata: undefined })} data-testid="upload-metadata">
                {t('metadata', { name: e.metadata.name })}
              </Tag>
            ) : (
              ready && (
                <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => (props.onChange({ ...e, metadata: f }), false)}>
                  <Button size="small" type="dashed" icon={<PaperClipOutlined />}>
                    {t('attachMetadata')}
                  </Button>
                </Upload>
              )
            ))}
        </Space>
        <Space>
          <Typography.Text type={e.phase === 'failed' ? 'danger' : 'secondary'} data-testid="upload-phase">
            {phase}
          </Typography.Text>
          {ready && <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('remove')} onClick={props.onRemove} />}
        </Space>
      </div>
      {e.phase !== 'ready' && <Progress percent={Math.round(e.progress * 100)} size="small" status={e.phase === 'failed' ? 'exception' : e.phase === 'accepted' ? 'success' : 'active'} data-testid="upload-progress" />}
      {e.error && <Alert type="error" showIcon title={e.error} data-testid="upload-error" />}
      {e.created === false && <Alert type="info" showIcon title={t('duplicate', { by: t(e.matchedBy === 'externalId' ? 'byExternalId' : 'bySha256') })} />}
      {props.call && <PipelineProgress call={props.call} />}
    </Card>
  );
}
