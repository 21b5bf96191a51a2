import type { Call } from '../domain/call.js';
import type { Inspection } from '../domain/inspection.js';
import type { Signals } from '../domain/signals.js';
import type { TextAnalysis } from '../domain/text-analysis.js';
import { STAGES } from '../pipeline/stages.js';
import { renderTable } from './text-table.js';

export const formatDuration = (ms: number | null) => {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** What the pipeline found, one line per call: status, score and band, the rules that hit, the signals. */
export function renderCallSummary(rows: Array<{ call: Call; signals: Signals | null; text?: TextAnalysis | null; inspection?: Inspection | null }>): string {
  const body = rows.map(({ call, signals, text, inspection }) => {
    const failedStage = STAGES.find((s) => call.stages[s].status === 'failed');
    const found = signals
      ? [
          signals.silence.longestMs >= 5000 ? `静默 ${Math.round(signals.silence.longestMs / 1000)}s` : '',
          signals.interruptions.agent ? `坐席抢话 ${signals.interruptions.agent}` : '',
          signals.interruptions.customer ? `客户插话 ${signals.interruptions.customer}` : '',
        ]
          .filter(Boolean)
          .join(' ')
      : '';
    return [
      call.externalId ?? call.id.slice(0, 8),
      call.agentId ?? '—',
      call.businessLine ?? '—',
      formatDuration(call.durationMs),
      failedStage ? `failed@${failedStage}` : call.status,
      inspection?.score ? `${inspection.score.percent}${inspection.score.band ? ` ${inspection.score.band}` : ''}${inspection.score.fatal ? ' ✗' : ''}` : '—',
      text ? textSummary(text) : '—',
      failedStage ? (call.stages[failedStage].error ?? '').slice(0, 60) : [hitNames(inspection), found].filter(Boolean).join(' '),
    ];
  });
  return renderTable(['call 通话', 'agent 坐席', 'line 业务线', 'dur 时长', 'status 状态', 'score 得分', 'customer 客户', 'found 发现'], body);
}

const MOOD: Record<string, string> = { positive: '正面', neutral: '中性', negative: '负面' };
const OUTCOME: Record<string, string> = { resolved: '已解决', follow_up: '待跟进', unresolved: '未解决' };

/** The customer's mood (and how it went), the main topic, the outcome: 负面↗ 物流延迟 待跟进. */
function textSummary(t: TextAnalysis): string {
  const trend = t.curve.trend === 'improved' ? '↗' : t.curve.trend === 'worsened' ? '↘' : '';
  const mood = t.customerSentiment ? `${MOOD[t.customerSentiment.label]}${trend}` : '';
  return [mood, t.topics[0]?.name ?? '', OUTCOME[t.summary.outcome]].filter(Boolean).join(' ');
}

/** The names of the rules that hit, shortest first so more fit on a line. */
function hitNames(inspection: Inspection | null | undefined): string {
  if (!inspection) return '';
  return inspection.results
    .filter((r) => r.outcome === 'hit')
    .map((r) => r.ruleName)
    .join('、');
}
