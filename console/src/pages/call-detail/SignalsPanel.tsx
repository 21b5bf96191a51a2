import { Descriptions, Empty } from 'antd';
import type { Signals } from '../../api/call-detail';
import { useFormat, useT } from '../../i18n/i18n';
import { messages } from './messages';

/** What the timing of the call says: silence, holds, interruptions, overlaps, speech rate, talk ratio, loudness. */
export function SignalsPanel({ signals }: { signals: Signals | null }) {
  const t = useT(messages);
  const f = useFormat();
  if (!signals) return <Empty description={t('noSignals')} />;
  const s = (ms: number) => t('seconds', { s: f.number(ms / 1000) });
  const pair = (a: string, b: string) => `${a} / ${b}`;
  const pct = (v: number | null) => (v === null ? '—' : `${f.number(v * 100)}%`);
  const rate = (v: number | null) => (v === null ? '—' : f.number(Math.round(v)));
  const db = (v: { rmsDbfs: number | null } | null | undefined) => (v?.rmsDbfs === null || v?.rmsDbfs === undefined ? '—' : `${f.number(v.rmsDbfs)} dBFS`);
  const holdMs = signals.holds.reduce((sum, h) => sum + h.endMs - h.startMs, 0);
  const items = [
    { key: 'silenceTotal', label: t('silenceTotal'), children: s(signals.silence.totalMs) },
    { key: 'silenceLongest', label: t('silenceLongest'), children: s(signals.silence.longestMs) },
    { key: 'holds', label: t('holds'), children: t('holdsValue', { n: signals.holds.length, s: f.number(holdMs / 1000) }) },
    { key: 'interruptions', label: t('interruptions'), children: pair(String(signals.interruptions.agent), String(signals.interruptions.customer)) },
    { key: 'overlaps', label: t('overlaps'), children: t('overlapsValue', { n: signals.overlaps.length }) },
    { key: 'speechRate', label: t('speechRate'), children: `${pair(rate(signals.speechRate.agent), rate(signals.speechRate.customer))} ${t('speechRateUnit')}` },
    { key: 'talkRatio', label: t('talkRatio'), children: pair(pct(signals.talkRatio.agent), pct(signals.talkRatio.customer)) },
    ...(signals.loudness ? [{ key: 'loudness', label: t('loudness'), children: pair(db(signals.loudness.agent), db(signals.loudness.customer)) }] : []),
    { key: 'source', label: t('source'), children: signals.source === 'audio' ? t('sourceAudio') : t('sourceTranscript') },
  ];
  return <Descriptions size="small" column={1} bordered items={items} data-testid="signals" />;
}
