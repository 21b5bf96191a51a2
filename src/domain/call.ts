import type { StageStates } from '../pipeline/stages.js';

export type CallChannel = 'phone' | 'chat' | 'email';
export const CALL_CHANNELS = ['phone', 'chat', 'email'] as const;
export type CallDirection = 'inbound' | 'outbound' | 'internal' | 'unknown';
export const CALL_DIRECTIONS = ['inbound', 'outbound', 'internal', 'unknown'] as const;

/** Overall state of a call, derived from its stages. */
export type CallStatus = 'processing' | 'done' | 'failed';

/** The metadata a PBX/CTI or a manifest gives us about one interaction. */
export interface CallMetadata {
  externalId: string | null;
  channel: CallChannel;
  direction: CallDirection;
  /** Epoch milliseconds. */
  startedAt: number | null;
  durationMs: number | null;
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
  customerPhone: string | null;
  customerTags: string[];
  consultType: string | null;
  language: string;
  /** Free-form integrator fields kept as given (string values only). */
  extra: Record<string, string>;
}

/** A stored interaction: metadata plus the pipeline's progress on it. */
export interface Call extends CallMetadata {
  id: string;
  status: CallStatus;
  stages: StageStates;
  /** Epoch ms when Tingjian accepted it. */
  createdAt: number;
  updatedAt: number;
}
