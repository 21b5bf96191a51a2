import type { MetadataNode } from '../../rules/compile/compiled-rule-set.js';
import type { CallView } from './call-view.js';
import { EMPTY, callMatch, type Match } from './match.js';

/**
 * The metadata condition: a field of the call (business line, customer tags…, or an integrator's
 * extra.* field) present or not, in or not in a list, or within a numeric range. Always decidable.
 */

export function metadata(v: CallView, node: MetadataNode): Match[] {
  return holds(v, node) ? [callMatch(v, `${node.field}`)] : EMPTY;
}

function holds(v: CallView, node: MetadataNode): boolean {
  const call = v.input.call;
  const raw: unknown = node.field.startsWith('extra.') ? call.extra[node.field.slice(6)] : (call as unknown as Record<string, unknown>)[node.field];
  const values = Array.isArray(raw) ? (raw as string[]) : raw === null || raw === undefined || raw === '' ? [] : [String(raw)];
  if (node.exists !== null && (values.length > 0) !== node.exists) return false;
  if (node.in && !values.some((x) => node.in!.includes(x))) return false;
  if (node.notIn && values.some((x) => node.notIn!.includes(x))) return false;
  if (node.gte !== null || node.lte !== null) {
    const num = values.length === 1 ? Number(values[0]) : NaN;
    if (!Number.isFinite(num)) return false;
    if (node.gte !== null && num < node.gte) return false;
    if (node.lte !== null && num > node.lte) return false;
  }
  return true;
}
