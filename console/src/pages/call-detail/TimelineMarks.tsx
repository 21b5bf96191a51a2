import { memo, useMemo } from 'react';
import type { CallDetail } from '../../api/call-detail';
import { formatClock, useT } from '../../i18n/i18n';
import { common } from '../../i18n/common-messages';
import { messages } from './messages';
import type { PlayerClock } from './player-clock';

type Kind = 'silence' | 'hold' | 'overlap' | 'interrupt' | 'hit' | 'fatal';
interface Mark {
  kind: Kind;
  startMs: number;
  endMs: number;
  title: string;
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Three strips under the waveform: silences and holds, overlaps and interruptions, rule hits —
 * each a mark at its time (positioned by React style props: left/width in % of the call);
 * clicking one seeks there.
 */
export const TimelineMarks = memo(function TimelineMarks({ detail, durationMs, clock }: { detail: CallDetail; durationMs: number; clock: PlayerClock }) {
  const t = useT(messages);
  const c = useT(common);
  const rows = useMemo(() => {
    const s = detail.signals;
    const who = (side: 'agent' | 'customer') => c(side);
    const silence: Mark[] = [
      ...(s?.silence.spans ?? []).map((x) => ({ kind: 'silence' as const, ...x, title: t('markSilence', { s: secs(x.endMs - x.startMs), at: formatClock(x.startMs) }) })),
      ...(s?.holds ?? []).map((x) => ({ kind: 'hold' as const, ...x, title: t('markHold', { s: secs(x.endMs - x.startMs), at: formatClock(x.startMs) }) })),
    ];
    const overlap: Mark[] = [
      ...(s?.overlaps ?? []).map((x) => ({ kind: 'overlap' as const, ...x, title: t('markOverlap', { s: secs(x.endMs - x.startMs), at: formatClock(x.startMs), who: who(x.by) }) })),
      ...(s?.interruptionEvents ?? []).map((x) => ({ kind: 'interrupt' as const, startMs: x.atMs, endMs: x.atMs, title: t('markInterrupt', { who: who(x.by), at: formatClock(x.atMs) }) })),
    ];
    const hits: Mark[] = (detail.inspection?.results ?? [])
      .filter((r) => r.outcome === 'hit')
      .flatMap((r) => r.evidence.map((e) => ({ kind: r.severity === 'fatal' ? ('fatal' as const) : ('hit' as const), startMs: e.startMs, endMs: e.startMs, title: t('markHit', { rule: r.ruleName, at: formatClock(e.startMs) }) })));
    return [
      { key: 'silence', label: t('marksSilence'), marks: silence },
      { key: 'overlap', label: t('marksOverlap'), marks: overlap },
      { key: 'hits', label: t('marksHits'), marks: hits },
    ];
  }, [detail, t, c]);
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / Math.max(1, durationMs)) * 100))}%`;
  return (
    <div data-testid="timeline">
      {rows.map((row) => (
        <div key={row.key} className="tj-cd-player-grid">
          <div className="tj-cd-track-label">{row.label}</div>
          <div className="tj-cd-track" data-testid={`track-${row.key}`}>
            {row.marks.map((m, i) => (
              <button
                key={i}
                type="button"
                className={`tj-cd-mark tj-cd-mark-${m.kind}`}
                style={{ left: pct(m.startMs), ...(m.endMs > m.startMs ? { width: pct(m.endMs - m.startMs) } : {}) }}
                title={m.title}
                aria-label={m.title}
                data-testid={`mark-${m.kind}`}
                data-ms={m.startMs}
                onClick={() => clock.seek(m.startMs)}
              />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
});
