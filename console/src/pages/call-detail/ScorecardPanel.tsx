import { Empty, Tag, Typography } from 'antd';
import type { Evidence, Inspection, RuleResult, ScoreItem } from '../../api/call-detail';
import { formatClock, useFormat, useT } from '../../i18n/i18n';
import { messages } from './messages';
import type { PlayerClock } from './player-clock';

/** One piece of evidence: its time and what matched; clicking it seeks there. */
function EvidenceLink({ e, clock }: { e: Evidence; clock: PlayerClock }) {
  const text = e.label ? `${e.label} · ${e.text}` : e.text;
  return (
    <button type="button" className="tj-cd-evidence" onClick={() => clock.seek(e.startMs)} data-testid="evidence-link" data-ms={e.startMs} title={text}>
      <span className="tj-cd-evidence-time">{formatClock(e.startMs)}</span>
      {text}
    </button>
  );
}

function RuleEvidence({ rule, clock }: { rule: RuleResult; clock: PlayerClock }) {
  return (
    <div data-testid="rule-hit" data-rule={rule.ruleId}>
      <Typography.Text type="danger">
        {rule.ruleName}
        {rule.severity === 'fatal' && ' ⚠'}
      </Typography.Text>
      {rule.reason && <Typography.Text type="secondary"> — {rule.reason}</Typography.Text>}
      {rule.evidence.map((e, i) => (
        <EvidenceLink key={i} e={e} clock={clock} />
      ))}
    </div>
  );
}

function ItemRow({ item, rules, clock }: { item: ScoreItem; rules: RuleResult[]; clock: PlayerClock }) {
  const t = useT(messages);
  const f = useFormat();
  const deduction = item.status === 'scored' && item.score !== null ? item.max - item.score : 0;
  return (
    <div className="tj-cd-item" data-testid={`score-item-${item.itemId}`}>
      <div className="tj-cd-item-head">
        <span className="tj-cd-item-name">
          {item.name} {item.fatal && <Tag color="red">{t('fatal')}</Tag>}
        </span>
        {item.status === 'na' ? (
          <Tag>{t('na')}</Tag>
        ) : item.status === 'manual' ? (
          <Tag color="gold">{t('manual')}</Tag>
        ) : deduction > 0 ? (
          <span className="tj-cd-deduction" data-testid="deduction">
            −{f.number(deduction)}
          </span>
        ) : (
          <span className="tj-cd-no-deduction">{t('noDeduction')}</span>
        )}
        <Typography.Text type="secondary">
          {item.score === null ? '—' : f.number(item.score)} / {f.number(item.max)}
        </Typography.Text>
      </div>
      {rules.map((r) => (
        <RuleEvidence key={r.ruleId} rule={r} clock={clock} />
      ))}
    </div>
  );
}

/** The scorecard: each item with its deduction and the evidence of the rules behind it; then rules hit outside it. */
export function ScorecardPanel({ inspection, clock }: { inspection: Inspection | null; clock: PlayerClock }) {
  const t = useT(messages);
  if (!inspection) return <Empty description={t('noInspection')} />;
  const hitById = new Map(inspection.results.filter((r) => r.outcome === 'hit').map((r) => [r.ruleId, r]));
  const score = inspection.score;
  const inItems = new Set(score?.items.flatMap((i) => i.ruleIds) ?? []);
  const others = [...hitById.values()].filter((r) => !inItems.has(r.ruleId));
  return (
    <div data-testid="scorecard">
      {score && (
        <>
          <Typography.Title level={5}>{score.scorecardName}</Typography.Title>
          {score.pendingManual > 0 && <Typography.Text type="warning">{t('pendingManual', { n: score.pendingManual })}</Typography.Text>}
          {score.items.map((item) => (
            <ItemRow key={item.itemId} item={item} rules={item.ruleIds.flatMap((id) => hitById.get(id) ?? [])} clock={clock} />
          ))}
        </>
      )}
      {others.length > 0 && (
        <>
          <Typography.Title level={5}>{t('otherHits')}</Typography.Title>
          {others.map((r) => (
            <div key={r.ruleId} className="tj-cd-item">
              <RuleEvidence rule={r} clock={clock} />
            </div>
          ))}
        </>
      )}
    </div>
  );
}
