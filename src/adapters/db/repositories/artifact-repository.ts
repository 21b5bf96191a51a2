import type { Kysely } from 'kysely';
import type { Signals } from '../../../domain/signals.js';
import type { TextAnalysis } from '../../../domain/text-analysis.js';
import type { VoiceActivity } from '../../../domain/voice-activity.js';
import type { Waveform } from '../../../domain/waveform.js';
import type { ArtifactRepository } from '../../../ports/repositories.js';
import type { DatabaseSchema } from '../schema.js';
import { chunks } from './sql-helpers.js';

type Kind = 'voice-activity' | 'signals' | 'text-analysis' | 'waveform';

export class KyselyArtifactRepository implements ArtifactRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  private async put(callId: string, kind: Kind, body: unknown, at: number): Promise<void> {
    await this.db
      .insertInto('artifacts')
      .values({ call_id: callId, kind, body: JSON.stringify(body), created_at: at })
      .onConflict((oc) => oc.columns(['call_id', 'kind']).doUpdateSet({ body: JSON.stringify(body), created_at: at }))
      .execute();
  }

  private async take<T>(callId: string, kind: Kind): Promise<T | null> {
    return (await this.takeMany<T>([callId], kind)).get(callId) ?? null;
  }

  private async takeMany<T>(callIds: string[], kind: Kind): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const ids of chunks([...new Set(callIds)])) {
      const rows = await this.db.selectFrom('artifacts').select(['call_id', 'body']).where('kind', '=', kind).where('call_id', 'in', ids).execute();
      for (const r of rows) out.set(r.call_id, JSON.parse(r.body) as T);
    }
    return out;
  }

  saveVoiceActivity = (callId: string, a: VoiceActivity, at: number) => this.put(callId, 'voice-activity', a, at);
  getVoiceActivity = (callId: string) => this.take<VoiceActivity>(callId, 'voice-activity');
  saveSignals = (callId: string, s: Signals, at: number) => this.put(callId, 'signals', s, at);
  getSignals = (callId: string) => this.take<Signals>(callId, 'signals');
  getSignalsMany = (callIds: string[]) => this.takeMany<Signals>(callIds, 'signals');
  saveTextAnalysis = (callId: string, t: TextAnalysis, at: number) => this.put(callId, 'text-analysis', t, at);
  getTextAnalysis = (callId: string) => this.take<TextAnalysis>(callId, 'text-analysis');
  getTextAnalysisMany = (callIds: string[]) => this.takeMany<TextAnalysis>(callIds, 'text-analysis');
  saveWaveform = (callId: string, w: Waveform, at: number) => this.put(callId, 'waveform', w, at);
  getWaveform = (callId: string) => this.take<Waveform>(callId, 'waveform');
}
