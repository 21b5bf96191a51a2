import { CheckCircleFilled } from '@ant-design/icons';
import { Tag, Typography } from 'antd';
import type { RuleSetVersionInfo } from '../../api/rule-sets';
import { useFormat, useT } from '../../i18n/i18n';
import { messages } from './messages';

/**
 * The rule set versions, newest first: number, draft/published, note, who stored it and when.
 * The newest published one is what new calls are judged with; it is marked.
 */
export function VersionList(props: { items: RuleSetVersionInfo[]; current: number | null; selected: number | null; onSelect: (version: number) => void }) {
  const t = useT(messages);
  const f = useFormat();
  return (
    <div className="tj-version-list" role="listbox" aria-label={t('versions')} data-testid="version-list">
      {props.items.map((v) => (
        <div
          key={v.version}
          role="option"
          tabIndex={0}
          aria-selected={v.version === props.selected}
          className={v.version === props.selected ? 'tj-version tj-version-selected' : 'tj-version'}
          onClick={() => props.onSelect(v.version)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') props.onSelect(v.version);
          }}
          data-testid={`version-${v.version}`}
          data-status={v.status}
          data-current={v.version === props.current ? 'true' : undefined}
        >
          <div>
            <Typography.Text strong>{t('versionN', { v: v.version })}</Typography.Text>{' '}
            {v.version === props.current ? (
              <Tag color="green" icon={<CheckCircleFilled />} data-testid="version-current">
                {t('inEffect')}
              </Tag>
            ) : v.status === 'published' ? (
              <Tag>{t('statusPublished')}</Tag>
            ) : (
              <Tag color="gold">{t('statusDraft')}</Tag>
            )}
          </div>
          {v.note && (
            <Typography.Paragraph className="tj-version-note" ellipsis={{ rows: 2, tooltip: v.note }}>
              {v.note}
            </Typography.Paragraph>
          )}
          <Typography.Text type="secondary" className="tj-version-meta">
            {v.createdBy ?? '—'} · {f.dateTime(v.createdAt)}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}
