import type { Kysely } from 'kysely';
import type { Inspection } from '../../../domain/inspection.js';
import type { Signals } from '../../../domain/signals.js';
import type { VoiceActivity } from '../../../domain/voice-activity.js';
import type { ArtifactRepository } from '../../../ports/repositories.js';
import type { DatabaseSchema } from '../schema.js';

type Kind = 'voice-activity' | 'signals' | 'inspection';

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
    const r = await this.db
      .selectFrom('artifacts')
      .select('body')
      .where('call_id', '=', callId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r ? (JSON.parse(r.body) as T) : null;
  }

  saveVoiceActivity = (callId: string, a: VoiceActivity, at: number) => this.put(callId, 'voice-activity', a, at);
  getVoiceActivity = (callId: string) => this.take<VoiceActivity>(callId, 'voice-activity');
  saveSignals = (callId: string, s: Signals, at: number) => this.put(callId, 'signals', s, at);
  getSignals = (callId: string) => this.take<Signals>(callId, 'signals');
  saveInspection = (callId: string, i: Inspection, at: number) => this.put(callId, 'inspection', i, at);
  getInspection = (callId: string) => this.take<Inspection>(callId, 'inspection');
}
