import { PauseCircleFilled, PlayCircleFilled } from '@ant-design/icons';
import { Alert, Button, Card, Segmented, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { callAudioUrl, type CallDetail, type ChannelRole, type Waveform } from '../../api/call-detail';
import { cspNonce } from '../../app/csp-nonce';
import { common } from '../../i18n/common-messages';
import { formatClock, useT } from '../../i18n/i18n';
import { messages } from './messages';
import { SPEEDS, useClock, type PlayerClock } from './player-clock';
import { TimelineMarks } from './TimelineMarks';

const CHANNEL_HEIGHT = 56;
const COLORS: Record<ChannelRole, { waveColor: string; progressColor: string }> = {
  agent: { waveColor: '#8fb6f5', progressColor: '#1f6feb' },
  customer: { waveColor: '#a8dc8c', progressColor: '#389e0d' },
  mixed: { waveColor: '#b3b3b3', progressColor: '#595959' },
  unknown: { waveColor: '#b3b3b3', progressColor: '#595959' },
};

const readTime = (c: PlayerClock) => Math.floor(c.timeMs() / 250);
const readPlaying = (c: PlayerClock) => c.playing();
const readRate = (c: PlayerClock) => c.rate();

/** Both channels drawn from the server's peaks; nothing is decoded in the browser. */
function WaveformView({ audio, waveform }: { audio: HTMLAudioElement; waveform: Waveform }) {
  const box = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    if (!box.current) return;
    setDrawn(false);
    const ws = WaveSurfer.create({
      container: box.current,
      media: audio,
      peaks: waveform.channels.map((c) => c.peaks),
      duration: waveform.durationMs / 1000,
      height: CHANNEL_HEIGHT,
      splitChannels: waveform.channels.map((c) => ({ ...COLORS[c.role], height: CHANNEL_HEIGHT })),
      cursorColor: '#cf1322',
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      normalize: false,
      dragToSeek: true,
      cspNonce: cspNonce(),
    });
    ws.on('redrawcomplete', () => setDrawn(true));
    return () => ws.destroy();
  }, [audio, waveform]);
  return <div ref={box} className="tj-cd-waveform" data-testid="waveform" data-ready={drawn ? 'true' : 'false'} />;
}

function Controls({ clock, durationMs }: { clock: PlayerClock; durationMs: number }) {
  const t = useT(messages);
  const playing = useClock(clock, readPlaying);
  const rate = useClock(clock, readRate);
  useClock(clock, readTime); // re-render four times a second, not on every event
  return (
    <div className="tj-cd-controls">
      <Button type="primary" shape="round" icon={playing ? <PauseCircleFilled /> : <PlayCircleFilled />} onClick={() => clock.toggle()} data-testid="play" aria-pressed={playing}>
        {playing ? t('pause') : t('play')}
      </Button>
      <span className="tj-cd-time" data-testid="current-time">
        {formatClock(clock.timeMs())} / {formatClock(durationMs)}
      </span>
      <span>{t('speed')}</span>
      <Segmented size="small" value={rate} options={SPEEDS.map((s) => ({ label: `${s}×`, value: s }))} onChange={(v) => clock.setRate(Number(v))} data-testid="speed" />
    </div>
  );
}

/**
 * The player: an <audio> element playing the recording (the original, or for roles without
 * pii:view the copy with personal data covered; both with Range, so seeking fetches only what it
 * needs), the
 * waveform drawn on it by wavesurfer from the peaks, controls, and the timeline of marks.
 */
export function WaveformPlayer(props: {
  callId: string;
  clock: PlayerClock;
  audio: HTMLAudioElement | null;
  onAudio: (el: HTMLAudioElement | null) => void;
  waveform: { data: Waveform | undefined; error: Error | undefined; loading: boolean };
  detail: CallDetail;
  durationMs: number;
}) {
  const t = useT(messages);
  const c = useT(common);
  const { clock, audio, waveform } = props;
  useEffect(() => (audio ? clock.attach(audio) : undefined), [audio, clock]);
  const roles = waveform.data?.channels.map((ch) => ch.role) ?? props.detail.recording?.channelRoles ?? [];
  const roleLabel = (r: ChannelRole | 'unknown') => (r === 'agent' ? c('agent') : r === 'customer' ? c('customer') : c('unknownSpeaker'));
  return (
    <Card size="small" className="tj-cd-card" data-testid="player">
      <audio ref={props.onAudio} src={callAudioUrl(props.callId)} preload="metadata" data-testid="audio" />
      <div className="tj-cd-player-grid">
        <div className="tj-cd-channel-labels">
          {roles.map((r, i) => (
            <div key={i} className="tj-cd-channel-label">
              {roleLabel(r)}
            </div>
          ))}
        </div>
        {waveform.error ? (
          <Alert type="warning" showIcon title={t('waveformError', { message: waveform.error.message })} data-testid="waveform-error" />
        ) : waveform.data && audio ? (
          <WaveformView audio={audio} waveform={waveform.data} />
        ) : (
          <div className="tj-cd-waveform-empty">
            <Spin size="small" />
          </div>
        )}
      </div>
      <TimelineMarks detail={props.detail} durationMs={props.durationMs} clock={clock} />
      <Controls clock={clock} durationMs={props.durationMs} />
    </Card>
  );
}
