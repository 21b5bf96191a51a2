import type { ReactNode } from 'react';
import type { TextRange } from '../../api/call-search';

/**
 * Text with ranges marked: <mark> elements built from the offsets (UTF-16, end exclusive), never
 * an HTML string. Overlapping or out-of-range ranges are merged and clipped.
 */
export function Highlighted({ text, ranges }: { text: string; ranges: readonly TextRange[] }) {
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(text.length, r.end) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const merged: TextRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const parts: ReactNode[] = [];
  let at = 0;
  for (const r of merged) {
    if (r.start > at) parts.push(text.slice(at, r.start));
    parts.push(<mark key={r.start}>{text.slice(r.start, r.end)}</mark>);
    at = r.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
