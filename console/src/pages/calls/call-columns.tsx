import { Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { SortOrder } from 'antd/es/table/interface';
import { Link } from 'react-router-dom';
import { failedStage, type CallListItem, type CallSort, type SentimentLabel } from '../../api/call-list';
import type { useFormat } from '../../i18n/i18n';
import type { CallsT } from './messages';

/** Colour of a score: fatal or under 60 red, then gold, blue, green (the default bands' bounds). */
export function scoreColor(percent: number | null, fatal: boolean): string {
  if (fatal || percent === null) return fatal ? 'red' : 'default';
  if (percent >= 90) return 'green';
  if (percent >= 80) return 'blue';
  if (percent >= 60) return 'gold';
  return 'red';
}

export const SENTIMENT_COLORS: Record<SentimentLabel, string> = { positive: 'green', neutral: 'default', negative: 'red' };

export function SentimentTag({ label, score, t }: { label: SentimentLabel | null | undefined; score?: number | null; t: CallsT }) {
  if (!label) return <span className="tj-muted">—</span>;
  // A native title, not an antd Tooltip: a table page holds 50 of these, and each Tooltip costs a
  // trigger component on the first render (the calls page's first load is measured: bench:console).
  return (
    <Tag color={SENTIMENT_COLORS[label]} data-testid="emotion" title={score === null || score === undefined ? undefined : t('sentimentScore', { score: score.toFixed(2) })}>
      {t(label)}
    </Tag>
  );
}

export function ScoreTag({ percent, band, fatal, t }: { percent: number | null; band: string | null; fatal: boolean; t: CallsT }) {
  if (percent === null && !fatal) return <span className="tj-muted">{t('noScore')}</span>;
  return (
    <Tag color={scoreColor(percent, fatal)} data-testid="score">
      {percent === null ? '—' : Math.round(percent * 10) / 10}
      {band ? ` ${band}` : ''}
    </Tag>
  );
}

function StatusTag({ call, t, stageName }: { call: CallListItem; t: CallsT; stageName: (s: string) => string }) {
  if (call.status === 'done') return <Tag color="green">{t('statusDone')}</Tag>;
  if (call.status === 'processing') return <Tag color="processing">{t('statusProcessing')}</Tag>;
  const failed = failedStage(call);
  return (
    <Tooltip title={failed ? t('failedAt', { stage: stageName(failed.stage), error: failed.error }) : undefined}>
      <Tag color="red" data-testid="status-failed">
        {t('statusFailed')}
      </Tag>
    </Tooltip>
  );
}

const antOrder = (sort: CallSort, current: { sort: CallSort; order: 'asc' | 'desc' }): SortOrder => (current.sort === sort ? (current.order === 'asc' ? 'ascend' : 'descend') : null);

/** The table's columns; time, duration and score sort on the server (column keys are the API's sort names). */
export function callColumns(opts: { t: CallsT; fmt: ReturnType<typeof useFormat>; sort: { sort: CallSort; order: 'asc' | 'desc' }; stageName: (s: string) => string }): ColumnsType<CallListItem> {
  const { t, fmt, sort, stageName } = opts;
  const sorted = (key: CallSort) => ({ key, sorter: true, sortOrder: antOrder(key, sort), sortDirections: ['descend', 'ascend'] as SortOrder[] });
  const text = (v: string | null) => v ?? '—';
  return [
    {
      title: t('colTime'),
      dataIndex: 'startedAt',
      width: 176,
      fixed: 'left',
      ...sorted('startedAt'),
      // A link as well as the row's click: reachable by keyboard, opens in a new tab.
      render: (_v, c) => (
        <Link to={`/calls/${encodeURIComponent(c.id)}`} data-testid="call-link">
          {fmt.dateTime(c.startedAt ?? c.createdAt)}
        </Link>
      ),
    },
    {
      title: t('colAgent'),
      dataIndex: 'agentId',
      width: 96,
      render: (v: string | null) => (v ? <Link to={`/agents/${encodeURIComponent(v)}`}>{v}</Link> : '—'),
    },
    { title: t('colTeam'), dataIndex: 'teamId', width: 110, ellipsis: true, render: text },
    { title: t('colBusinessLine'), dataIndex: 'businessLine', width: 110, ellipsis: true, render: text },
    { title: t('colDuration'), dataIndex: 'durationMs', width: 96, align: 'right', ...sorted('duration'), render: (v: number | null) => fmt.duration(v) },
    {
      title: t('colScore'),
      width: 130,
      ...sorted('score'),
      render: (_v, c) => (c.inspection ? <ScoreTag percent={c.inspection.scorePercent} band={c.inspection.band} fatal={c.inspection.fatal} t={t} /> : <span className="tj-muted">—</span>),
    },
    {
      title: t('colHits'),
      width: 72,
      align: 'right',
      render: (_v, c) =>
        c.inspection ? (
          <span className={c.inspection.fatal ? 'tj-hits-fatal' : undefined} title={t(c.inspection.fatal ? 'hitsFatalTip' : 'hitsTip', { n: c.inspection.hits })} data-testid="hits">
            {c.inspection.hits}
          </span>
        ) : (
          '—'
        ),
    },
    { title: t('colEmotion'), width: 104, render: (_v, c) => <SentimentTag label={c.analysis?.sentimentLabel} score={c.analysis?.customerSentiment} t={t} /> },
    { title: t('colStatus'), dataIndex: 'status', width: 96, render: (_v, c) => <StatusTag call={c} t={t} stageName={stageName} /> },
  ];
}
