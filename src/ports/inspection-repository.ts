import type { Inspection } from '../domain/inspection.js';

/** An inspection as stored: by a saved rule set version (dry runs are never stored). */
export type StoredInspection = Inspection & { ruleSetVersion: number };

/**
 * Inspections, one per (call, rule set version): publishing a new version adds results, never
 * changes the old ones. A row per rule that hit is kept beside each, for reports and counts.
 */
export interface InspectionRepository {
  /** Insert or replace the call's inspection by inspection.ruleSetVersion, and its hit rows, atomically. */
  save(callId: string, inspection: StoredInspection, at: number): Promise<void>;
  /** save() for many calls in one transaction (the last one wins when a (call, version) repeats). */
  saveMany(rows: Array<{ callId: string; inspection: StoredInspection }>, at: number): Promise<void>;
  /** The inspection by the highest version stored for the call. */
  latest(callId: string): Promise<Inspection | null>;
  get(callId: string, version: number): Promise<Inspection | null>;
  /** The versions that inspected the call, ascending. */
  versionsForCall(callId: string): Promise<number[]>;
  /**
   * Per rule that hit under this version: in how many calls, and how many hits in all. Most
   * calls first, then by rule id.
   */
  countHitsByRule(version: number): Promise<Array<{ ruleId: string; calls: number; hits: number }>>;
}
