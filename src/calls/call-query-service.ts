import type { Call } from '../domain/call.js';
import { notFound } from '../domain/errors.js';
import type { Inspection } from '../domain/inspection.js';
import type { Recording } from '../domain/recording.js';
import type { Signals } from '../domain/signals.js';
import type { TextAnalysis } from '../domain/text-analysis.js';
import type { Transcript } from '../domain/transcript.js';
import { STAGES, type StageName } from '../pipeline/stages.js';
import type { CallFilter, CallListFilter, CallListOptions, CallListPage, Database, JobStatus, Page } from '../ports/repositories.js';

export interface CallDetail {
  call: Call;
  recording: Recording | null;
  transcript: Transcript | null;
  signals: Signals | null;
  text: TextAnalysis | null;
  inspection: Inspection | null;
}

export interface PipelineSummary {
  calls: { processing: number; done: number; failed: number };
  stages: Record<StageName, Record<JobStatus, number>>;
}

/** The read side: what the API, CLI summary and console show about stored calls. */
export class CallQueryService {
  constructor(private readonly db: Database) {}

  list(filter: CallFilter, page: { limit: number; cursor?: string | undefined }): Promise<Page<Call>> {
    return this.db.repos.calls.list(filter, page);
  }

  /** The console's calls list: any sort, the latest inspection and text analysis of each call, the total. */
  browse(filter: CallListFilter, options: CallListOptions): Promise<CallListPage> {
    return this.db.repos.calls.browse(filter, options);
  }

  async get(id: string): Promise<Call> {
    const call = await this.db.repos.calls.get(id);
    if (!call) throw notFound('call', id);
    return call;
  }

  async detail(id: string): Promise<CallDetail> {
    const r = this.db.repos;
    const call = await this.get(id);
    const [recording, transcript, signals, text, inspection] = await Promise.all([
      r.recordings.getByCallId(id),
      r.transcripts.get(id),
      r.artifacts.getSignals(id),
      r.artifacts.getTextAnalysis(id),
      r.inspections.latest(id),
    ]);
    return { call, recording, transcript, signals, text, inspection };
  }

  async recording(id: string): Promise<Recording> {
    await this.get(id);
    const rec = await this.db.repos.recordings.getByCallId(id);
    if (!rec) throw notFound('recording of call', id);
    return rec;
  }

  async pipeline(): Promise<PipelineSummary> {
    const r = this.db.repos;
    const [processing, done, failed, counts] = await Promise.all([
      r.calls.count({ status: 'processing' }),
      r.calls.count({ status: 'done' }),
      r.calls.count({ status: 'failed' }),
      r.jobs.countByStageAndStatus(),
    ]);
    const stages = Object.fromEntries(STAGES.map((s) => [s, { queued: 0, running: 0, done: 0, failed: 0 }])) as PipelineSummary['stages'];
    for (const c of counts) stages[c.stage][c.status] = c.count;
    return { calls: { processing, done, failed }, stages };
  }
}
