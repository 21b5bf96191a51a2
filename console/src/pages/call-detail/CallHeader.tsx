import { Card, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { CallDetail } from '../../api/call-detail';
import { useFormat, useT } from '../../i18n/i18n';
import { messages } from './messages';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="tj-cd-fact">
      <span className="tj-cd-fact-label">{label}</span>
      <span className="tj-cd-fact-value" data-testid={testId}>
        {children}
      </span>
    </div>
  );
}

const STATUS_COLOR = { processing: 'processing', done: 'success', failed: 'error' } as const;
const BAND_COLOR = (percent: number | null, fatal: boolean) => (fatal ? 'red' : percent === null ? 'default' : percent >= 90 ? 'green' : percent >= 75 ? 'blue' : percent >= 60 ? 'orange' : 'red');

/** Who, when, how long, and how the call scored. */
export function CallHeader({ detail }: { detail: CallDetail }) {
  const t = useT(messages);
  const f = useFormat();
  const { call, inspection } = detail;
  const score = inspection?.score ?? null;
  const hitRules = inspection ? inspection.results.filter((r) => r.outcome === 'hit').length : null;
  const statusLabel = { processing: t('statusProcessing'), done: t('statusDone'), failed: t('statusFailed') }[call.status];
  return (
    <Card size="small" className="tj-cd-card" data-testid="call-header">
      <div className="tj-cd-head">
        <Fact label={t('time')}>{f.dateTime(call.startedAt ?? call.createdAt)}</Fact>
        <Fact label={t('agent')} testId="call-agent">
          {call.agentId ? <Link to={`/agents/${encodeURIComponent(call.agentId)}`}>{call.agentId}</Link> : '—'}
        </Fact>
        <Fact label={t('team')}>{call.teamId ?? '—'}</Fact>
        <Fact label={t('businessLine')}>{call.businessLine ?? '—'}</Fact>
        <Fact label={t('duration')}>{f.duration(call.durationMs ?? detail.recording?.durationMs)}</Fact>
        <Fact label={t('status')}>
          <Tag color={STATUS_COLOR[call.status]} data-testid="call-status">
            {statusLabel}
          </Tag>
        </Fact>
        <div className="tj-cd-score">
          <Fact label={t('score')} testId="call-score">
            {score && score.percent !== null ? (
              <>
                <span className="tj-cd-score-value">{f.number(score.total)}</span>
                <span className="tj-cd-score-max">/ {f.number(score.max)}</span>{' '}
                {score.band && <Tag color={BAND_COLOR(score.percent, score.fatal)}>{score.band}</Tag>}
                {score.fatal && <Tag color="red">{t('fatal')}</Tag>}
              </>
            ) : (
              <span className="tj-cd-score-max">{t('noScore')}</span>
            )}
          </Fact>
          <Fact label={t('hits')} testId="call-hits">
            {hitRules === null ? '—' : <span className="tj-cd-score-value">{t('hitsValue', { n: hitRules })}</span>}
          </Fact>
        </div>
      </div>
    </Card>
  );
}
