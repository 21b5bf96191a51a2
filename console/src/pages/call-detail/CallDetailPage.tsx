import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Col, Result, Row } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { DETAIL_WAVEFORM_POINTS, fetchCallDetail, fetchWaveform, type CallDetail } from '../../api/call-detail';
import { ApiError } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { PageState } from '../../components/PageState';
import { useT } from '../../i18n/i18n';
import { CallHeader } from './CallHeader';
import './call-detail.css';
import { messages } from './messages';
import { PlayerClock } from './player-clock';
import { SidePanels } from './SidePanels';
import { startEarly, takeEarly } from '../../api/start-early';
import { StageProgress } from './StageProgress';
import { Transcript } from './Transcript';
import { WaveformPlayer } from './WaveformPlayer';

const POLL_MS = 3000;

function lengthOf(d: CallDetail, waveformMs: number | undefined): number {
  const lastEnd = d.transcript?.segments.reduce((m, s) => Math.max(m, s.endMs), 0) ?? 0;
  return waveformMs ?? d.recording?.durationMs ?? d.call.durationMs ?? d.signals?.durationMs ?? lastEnd;
}

/**
 * One call for QA (/calls/:id, ?t=<ms> starts there): facts and score, the recording's waveform
 * with a timeline of silences, overlaps and rule hits, the transcript as a conversation synced with
 * playback, and the scorecard, signals, emotion curve and summary beside it. The detail and the
 * waveform load at once.
 */
export default function CallDetailPage() {
  const t = useT(messages);
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const { can } = useSession();
  const listen = can('audio:listen');
  // Both requests start at once, during the first render (see start-early.ts).
  useState(() => {
    startEarly(`detail:${id}`, () => fetchCallDetail(id));
    if (listen) startEarly(`waveform:${id}`, () => fetchWaveform(id, DETAIL_WAVEFORM_POINTS));
  });
  const detail = useApi((signal) => takeEarly(`detail:${id}`, () => fetchCallDetail(id, signal)), [id]);
  const waveform = useApi((signal) => (listen ? takeEarly(`waveform:${id}`, () => fetchWaveform(id, DETAIL_WAVEFORM_POINTS, signal)) : Promise.resolve(undefined)), [id, listen]);
  const clock = useMemo(() => new PlayerClock(), [id]);
  const [audio, setAudio] = useState<HTMLAudioElement | null>(null);

  const startAt = Number(search.get('t'));
  useEffect(() => {
    if (Number.isFinite(startAt) && startAt > 0) clock.seek(startAt);
  }, [clock, startAt]);

  // A call still in the pipeline is read again until it is finished.
  const processing = detail.data?.call.status === 'processing';
  const { reload } = detail;
  useEffect(() => {
    if (!processing) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [processing, reload]);

  const back = (
    <Link to="/calls">
      <Button type="link" icon={<ArrowLeftOutlined />} className="tj-cd-back">
        {t('back')}
      </Button>
    </Link>
  );
  if (detail.error instanceof ApiError && detail.error.status === 404) {
    return <Result status="404" title={t('notFoundTitle')} subTitle={t('notFoundText', { id })} extra={back} data-testid="not-found" />;
  }
  const d = detail.data;
  return (
    <div data-testid="call-detail">
      {back}
      <PageState loading={detail.loading && !d} error={d ? undefined : detail.error} onRetry={detail.reload}>
        {d && (
          <>
            <CallHeader detail={d} />
            {d.call.status !== 'done' && <StageProgress call={d.call} />}
            {d.recording && listen && (
              <WaveformPlayer callId={id} clock={clock} audio={audio} onAudio={setAudio} waveform={waveform} detail={d} durationMs={lengthOf(d, waveform.data?.durationMs)} />
            )}
            <Row gutter={12}>
              <Col xs={24} xl={14}>
                <Transcript segments={d.transcript?.segments ?? []} inspection={d.inspection} text={d.text} clock={clock} />
              </Col>
              <Col xs={24} xl={10}>
                <SidePanels detail={d} durationMs={lengthOf(d, waveform.data?.durationMs)} clock={clock} />
              </Col>
            </Row>
          </>
        )}
      </PageState>
    </div>
  );
}
