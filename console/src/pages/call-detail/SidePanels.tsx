import { Card, Spin, Tabs } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import type { CallDetail } from '../../api/call-detail';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import type { PlayerClock } from './player-clock';
import { ScorecardPanel } from './ScorecardPanel';
import { SignalsPanel } from './SignalsPanel';
import { SummaryPanel } from './SummaryPanel';

// ECharts loads only when the emotion tab is opened: the page is interactive without it.
const EmotionChart = lazy(() => import('./EmotionChart'));

/** Scorecard, signals, the customer's emotion curve, summary and topics, as tabs beside the transcript. */
export function SidePanels({ detail, durationMs, clock }: { detail: CallDetail; durationMs: number; clock: PlayerClock }) {
  const t = useT(messages);
  const panel = (key: string, label: string, children: ReactNode) => ({
    key,
    label: <span data-testid={`tab-${key}`}>{label}</span>,
    children: <div className="tj-cd-panel">{children}</div>,
  });
  return (
    <Card size="small" className="tj-cd-card">
      <Tabs
        size="small"
        items={[
          panel('score', t('tabScore'), <ScorecardPanel inspection={detail.inspection} clock={clock} />),
          panel('signals', t('tabSignals'), <SignalsPanel signals={detail.signals} />),
          panel(
            'emotion',
            t('tabEmotion'),
            <Suspense fallback={<Spin />}>
              <EmotionChart text={detail.text} durationMs={durationMs} clock={clock} />
            </Suspense>,
          ),
          panel('summary', t('tabSummary'), <SummaryPanel text={detail.text} segments={detail.transcript?.segments ?? []} clock={clock} />),
        ]}
      />
    </Card>
  );
}
