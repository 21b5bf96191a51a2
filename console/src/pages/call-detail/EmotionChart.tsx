import { Empty, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { TextAnalysis } from '../../api/call-detail';
import { Chart, tooltip, type ChartOption } from '../../components/Chart';
import { formatClock, useT } from '../../i18n/i18n';
import { messages } from './messages';
import type { PlayerClock } from './player-clock';

/** The customer's emotion over the call (smoothed, customer sentences only); clicking a point seeks there. */
export default function EmotionChart({ text, durationMs, clock }: { text: TextAnalysis | null; durationMs: number; clock: PlayerClock }) {
  const t = useT(messages);
  const points = useMemo(() => text?.curve.points ?? [], [text]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      tooltip: { ...tooltip('axis'), valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(2) : String(v)) },
      xAxis: { type: 'value', min: 0, max: Math.max(durationMs, points[points.length - 1]?.atMs ?? 0), axisLabel: { formatter: (v: number) => formatClock(v) } },
      // the time axis is drawn at 0: above it positive, below negative
      yAxis: { type: 'value', min: -1, max: 1, splitNumber: 4 },
      series: [{ type: 'line', name: t('tabEmotion'), smooth: true, symbolSize: 7, data: points.map((p) => [p.atMs, p.score]), lineStyle: { color: '#fa8c16', width: 2 }, itemStyle: { color: '#fa8c16' } }],
    }),
    [points, durationMs, t],
  );

  if (!text) return <Empty description={t('noText')} />;
  if (points.length === 0) return <Empty description={t('noEmotion')} />;
  const c = text.curve;
  const trend = c.trend === 'improved' ? t('trendImproved') : c.trend === 'worsened' ? t('trendWorsened') : c.trend === 'stable' ? t('trendStable') : null;
  const n = (v: number | null) => (v === null ? '—' : v.toFixed(2));
  return (
    <div data-testid="emotion">
      <Space wrap>
        {trend && (
          <Tag color={c.trend === 'improved' ? 'green' : c.trend === 'worsened' ? 'red' : 'default'}>
            {t('trend')}: {trend}
          </Tag>
        )}
        <Typography.Text type="secondary">{t('emotionStartEnd', { start: n(c.start), end: n(c.end) })}</Typography.Text>
        {c.lowest && (
          <Typography.Link onClick={() => clock.seek(c.lowest!.atMs)}>{t('lowest', { score: n(c.lowest.score), at: formatClock(c.lowest.atMs) })}</Typography.Link>
        )}
      </Space>
      <Chart option={option} height={260} testId="emotion-chart" label={t('tabEmotion')} onClick={(hit) => points[hit.dataIndex] && clock.seek(points[hit.dataIndex]!.atMs)} />
    </div>
  );
}
