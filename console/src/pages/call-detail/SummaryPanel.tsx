import { Descriptions, Empty, Space, Tag, Typography } from 'antd';
import type { Segment, SummarySentence, TextAnalysis } from '../../api/call-detail';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import type { PlayerClock } from './player-clock';

const OUTCOME_COLOR = { resolved: 'green', follow_up: 'gold', unresolved: 'red' } as const;

/** The extractive summary (problem, actions, outcome) and the topics; each sentence seeks to where it was said. */
export function SummaryPanel({ text, segments, clock }: { text: TextAnalysis | null; segments: Segment[]; clock: PlayerClock }) {
  const t = useT(messages);
  if (!text) return <Empty description={t('noText')} />;
  const startOf = new Map(segments.map((s) => [s.index, s.startMs]));
  const sentence = (s: SummarySentence) => (
    <Typography.Text className="tj-cd-link" onClick={() => clock.seek(startOf.get(s.segmentIndex) ?? 0)}>
      {s.text}
    </Typography.Text>
  );
  const { summary } = text;
  const outcome = { resolved: t('outcomeResolved'), follow_up: t('outcomeFollowUp'), unresolved: t('outcomeUnresolved') }[summary.outcome];
  return (
    <div data-testid="summary">
      <Descriptions
        size="small"
        column={1}
        title={t('summary')}
        items={[
          { key: 'problem', label: t('problem'), children: summary.problem ? sentence(summary.problem) : '—' },
          {
            key: 'actions',
            label: t('actions'),
            children: summary.actions.length ? (
              <ul className="tj-cd-summary-list">
                {summary.actions.map((a) => (
                  <li key={a.segmentIndex}>{sentence(a)}</li>
                ))}
              </ul>
            ) : (
              '—'
            ),
          },
          {
            key: 'outcome',
            label: t('outcome'),
            children: (
              <Space orientation="vertical" size={2}>
                <Tag color={OUTCOME_COLOR[summary.outcome]}>{outcome}</Tag>
                {summary.outcomeEvidence && sentence(summary.outcomeEvidence)}
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('topics')}</Typography.Title>
      {text.topics.length === 0 ? (
        <Typography.Text type="secondary">{t('noTopics')}</Typography.Text>
      ) : (
        <Space wrap data-testid="topics">
          {text.topics.map((topic) => (
            <Tag key={topic.id} color="blue" className="tj-cd-link" onClick={() => topic.segments[0] !== undefined && clock.seek(startOf.get(topic.segments[0]) ?? 0)}>
              {topic.name} {Math.round(topic.confidence * 100)}%
            </Tag>
          ))}
        </Space>
      )}
    </div>
  );
}
