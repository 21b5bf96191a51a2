import type { DataScope } from './principal.js';

/** The call facts a data scope looks at. */
export interface ScopedCallFacts {
  id: string;
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
}

/**
 * A data scope as a database filter: every field given restricts the calls (an empty list
 * matches none). Repositories apply it in list, count and search queries, so a page never holds
 * a call the principal may not see and totals do not leak their number.
 */
export interface CallScopeFilter {
  agentIds?: readonly string[];
  teamIds?: readonly string[];
  /** Inspector: calls of these business lines OR assigned to this user. */
  inspector?: { userId: string; businessLines: readonly string[] };
}

/** null: no restriction (scope all). */
export function scopeFilter(scope: DataScope): CallScopeFilter | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'agent':
      return { agentIds: [scope.agentId] };
    case 'teams':
      return { teamIds: scope.teamIds };
    case 'inspector':
      return { inspector: { userId: scope.userId, businessLines: scope.businessLines } };
    case 'none':
      return { agentIds: [] };
  }
}

/**
 * Whether one call is in scope. `assignedTo` says whether the call is assigned to the inspector
 * (asked only for inspectors whose business lines do not already cover the call).
 */
export async function callInScope(call: ScopedCallFacts, scope: DataScope, assignedTo: (callId: string, userId: string) => Promise<boolean>): Promise<boolean> {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'agent':
      return call.agentId === scope.agentId;
    case 'teams':
      return call.teamId !== null && scope.teamIds.includes(call.teamId);
    case 'inspector':
      if (call.businessLine !== null && scope.businessLines.includes(call.businessLine)) return true;
      return assignedTo(call.id, scope.userId);
    case 'none':
      return false;
  }
}
