import { CloudUploadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import { ingestRecording, ingestTranscript } from '../../api/call-ingest';
import type { StoredCall } from '../../api/call-list';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import { UploadEntryCard } from './UploadEntryCard';
import { addFiles, type UploadEntry } from './upload-files';
import './upload.css';

async function send(e: UploadEntry, onProgress: (f: number) => void, t: ReturnType<typeof useT<keyof (typeof messages)['zh-CN']>>) {
  if (e.kind === 'recording') return ingestRecording(e.file, e.metadata ? await e.metadata.text() : undefined, onProgress);
  let body: unknown;
  try {
    body = JSON.parse(await e.file.text());
  } catch (err) {
    throw new Error(t('notJson', { name: e.file.name, error: (err as Error).message }), { cause: err });
  }
  return ingestTranscript(body);
}

/**
 * Uploading calls (calls:ingest): recordings with optional metadata JSON, or transcripts; each
 * with its upload progress, then its pipeline followed to done or failed. The server's refusals
 * (an unsupported file, bad metadata) are shown on the file as the server words them.
 */
export default function UploadPage() {
  const t = useT(messages);
  const { can } = useSession();
  const [entries, setEntries] = useState<UploadEntry[]>([]);
  const [calls, setCalls] = useState<Record<string, StoredCall>>({});
  const [busy, setBusy] = useState(false);
  const entriesRef = useRef(entries);
  entriesRef.current = entries;
  const update = (key: string, change: Partial<UploadEntry>) => setEntries((xs) => xs.map((x) => (x.key === key ? { ...x, ...change } : x)));

  if (!can('calls:ingest')) return <Alert type="warning" showIcon title={t('forbidden')} data-testid="forbidden" />;

  const start = async () => {
    setBusy(true);
    // One at a time, in the order picked: a big batch does not open many uploads at once.
    for (const e of entriesRef.current.filter((x) => x.phase === 'ready')) {
      update(e.key, { phase: 'uploading', progress: 0, error: undefined });
      try {
        const r = await send(e, (f) => update(e.key, { progress: f }), t);
        setCalls((c) => ({ ...c, [e.key]: r.call }));
        update(e.key, { phase: 'accepted', progress: 1, callId: r.call.id, created: r.created, ...(r.matchedBy ? { matchedBy: r.matchedBy } : {}) });
      } catch (err) {
        update(e.key, { phase: 'failed', error: (err as Error).message });
      }
    }
    setBusy(false);
  };

  const ready = entries.filter((e) => e.phase === 'ready').length;
  return (
    <div className="tj-upload" data-testid="upload-page">
      <Typography.Title level={3} className="tj-upload-title">
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <div data-testid="upload-drop">
        <Upload.Dragger
          multiple
          showUploadList={false}
          accept="audio/*,.wav,.mp3,.ogg,.opus,.amr,.m4a,.json,application/json"
          beforeUpload={(file, batch) => {
            // Called once per file with the whole batch: take the batch on its first file, so names pair up.
            if (file === batch[0]) setEntries((xs) => addFiles(xs, batch));
            return Upload.LIST_IGNORE;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('drop')}</p>
          <p className="ant-upload-hint">{t('dropHint')}</p>
        </Upload.Dragger>
      </div>
      <Space className="tj-upload-actions">
        <Button type="primary" icon={<CloudUploadOutlined />} disabled={ready === 0} loading={busy} onClick={() => void start()} data-testid="upload-start">
          {t('start')}
          {ready > 0 ? ` (${ready})` : ''}
        </Button>
        <Button disabled={busy || !entries.some((e) => e.phase === 'accepted' || e.phase === 'failed')} onClick={() => setEntries((xs) => xs.filter((e) => e.phase === 'ready' || e.phase === 'uploading'))}>
          {t('clearDone')}
        </Button>
      </Space>
      {entries.length === 0 ? (
        <Typography.Text type="secondary">{t('nothing')}</Typography.Text>
      ) : (
        <div className="tj-upload-list">
          {entries.map((e) => (
            <UploadEntryCard
              key={e.key}
              entry={e}
              call={calls[e.key]}
              onChange={(next) => setEntries((xs) => xs.map((x) => (x.key === e.key ? next : x)))}
              onRemove={() => setEntries((xs) => xs.filter((x) => x.key !== e.key))}
            />
          ))}
        </div>
      )}
    </div>
  );
}
