import { Card, Empty } from 'antd';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { Inspection, Segment, Sentiment, TextAnalysis } from '../../api/call-detail';
import { common } from '../../i18n/common-messages';
import { formatClock, useT } from '../../i18n/i18n';
import { hitsBySegment, textPieces, type SegmentHits } from './hit-marks';
import { messages } from './messages';
import { activeSegmentAt, useClock, type PlayerClock } from './player-clock';

interface RowProps {
  segment: Segment;
  active: boolean;
  hits: SegmentHits | undefined;
  /** The customer's emotion in this sentence. */
  sentiment: Sentiment | undefined;
  onSeek: (ms: number) => void;
}

/** One sentence as a chat bubble; rule matches marked inside the words. Re-renders only when its props change. */
const SegmentRow = memo(function SegmentRow({ segment, active, hits, sentiment, onSeek }: RowProps) {
  const t = useT(messages);
  const c = useT(common);
  const speaker = segment.speaker === 'agent' ? c('agent') : segment.speaker === 'customer' ? c('customer') : c('unknownSpeaker');
  const pieces = useMemo(() => textPieces(segment.text, hits?.spans ?? []), [segment.text, hits]);
  return (
    <div
      className={`tj-cd-seg tj-cd-seg-${segment.speaker}`}
      data-testid={`segment-${segment.index}`}
      data-active={active ? 'true' : 'false'}
      data-start-ms={segment.startMs}
      onClick={() => onSeek(segment.startMs)}
    >
      <div className="tj-cd-seg-meta">
        <span>{speaker}</span>
        <span>{formatClock(segment.startMs)}</span>
        {sentiment && (
          <span className={`tj-cd-emotion tj-cd-emotion-${sentiment.label}`} title={t('emotionOf', { score: sentiment.score.toFixed(2) })} data-testid="sentence-emotion">
            {t(sentiment.label)}
          </span>
        )}
      </div>
      <div className="tj-cd-bubble">
        {pieces.map((p, i) =>
          p.rules.length ? (
            <mark key={i} className="tj-cd-hit" title={p.rules.join('、')} data-testid="hit-mark" data-rules={p.rules.join('\n')}>
              {p.text}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </div>
      {hits && hits.rules.length > 0 && <div className="tj-cd-seg-rules">{t('hitWithoutSpan', { rules: hits.rules.join('、') })}</div>}
    </div>
  );
});

/**
 * The conversation, synced with playback: the current sentence is highlighted and kept in view;
 * clicking one seeks the player to its start. Only the active index is read from the clock, so a
 * timeupdate re-renders this list's two changed rows at most.
 */
export function Transcript(props: { segments: Segment[]; inspection: Inspection | null; text: TextAnalysis | null; clock: PlayerClock }) {
  const t = useT(messages);
  const { clock, segments } = props;
  const order = useMemo(() => [...segments].sort((a, b) => a.startMs - b.startMs || a.index - b.index), [segments]);
  const starts = useMemo(() => order.map((s) => s.startMs), [order]);
  const indexes = useMemo(() => order.map((s) => s.index), [order]);
  const readActive = useCallback((c: PlayerClock) => activeSegmentAt(c.timeMs(), starts, indexes), [starts, indexes]);
  const active = useClock(clock, readActive);
  const hits = useMemo(() => hitsBySegment(props.inspection, segments), [props.inspection, segments]);
  const sentiments = useMemo(() => {
    const customer = new Set(segments.filter((s) => s.speaker === 'customer').map((s) => s.index));
    return new Map((props.text?.segments ?? []).filter((s) => customer.has(s.index)).map((s) => [s.index, s.sentiment]));
  }, [props.text, segments]);
  const onSeek = useCallback((ms: number) => clock.seek(ms), [clock]);

  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const list = box.current;
    const row = active >= 0 ? list?.querySelector<HTMLElement>(`[data-testid="segment-${active}"]`) : null;
    if (!list || !row) return;
    // Keep the row in view by scrolling the list only (not the page); the list is the rows' offsetParent.
    const top = row.offsetTop;
    if (top < list.scrollTop || top + row.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTo({ top: Math.max(0, top - list.clientHeight / 3), behavior: 'smooth' });
    }
  }, [active]);

  return (
    <Card size="small" title={t('transcript')} className="tj-cd-card">
      {segments.length === 0 ? (
        <Empty description={t('noTranscript')} />
      ) : (
        <div ref={box} className="tj-cd-transcript" data-testid="transcript">
          {segments.map((s) => (
            <SegmentRow key={s.index} segment={s} active={s.index === active} hits={hits.get(s.index)} sentiment={sentiments.get(s.index)} onSeek={onSeek} />
          ))}
        </div>
      )}
    </Card>
  );
}
