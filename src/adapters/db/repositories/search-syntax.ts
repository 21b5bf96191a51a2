import type { SearchDoc, SearchFilters } from '../../../ports/repositories.js';
import { SEARCH_BREAK, SEGMENT_BREAK } from '../../../search/search-tokens.js';

/**
 * Search tokens (src/search/search-tokens.ts) written in each database's own syntax. Tokens are
 * letters, digits, Han bigrams or SEARCH_BREAK; quoting is still escaped so that no input can
 * change a query's meaning.
 */

/** FTS5: each term a quoted phrase of its tokens (the breaks are tokens there), all ANDed. */
export function ftsMatch(terms: ReadonlyArray<{ tokens: readonly string[] }>): string {
  return terms.map((t) => `"${t.tokens.join(' ').replaceAll('"', '""')}"`).join(' AND ');
}

/** A lexeme of tsvector/tsquery input: quoted, with ' and \ escaped. */
const lexeme = (t: string) => `'${t.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** PostgreSQL keeps positions 1..16383 and at most 256 of them per lexeme. */
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;

/**
 * tsvector input (no text search parser or dictionary involved, so no locale can split or
 * change a token): each lexeme with its positions. Breaks are not stored: SEARCH_BREAK takes a
 * position, SEGMENT_BREAK two (a query's break spans one, so it never matches a segment's). Past
 * position 16383 a token is kept at 16383:
 * two-character words are found anywhere, longer phrases within the first 16383 tokens
 * (about an hour of speech).
 * @example tsvectorLiteral(['退货', SEARCH_BREAK, '货政', SEGMENT_BREAK, '政策']) // "'退货':1 '货政':3 '政策':6"
 */
export function tsvectorLiteral(tokens: readonly string[]): string {
  const positions = new Map<string, number[]>();
  let pos = 0;
  for (const t of tokens) {
    pos += t === SEGMENT_BREAK ? 2 : 1;
    if (t === SEARCH_BREAK || t === SEGMENT_BREAK) continue;
    const at = Math.min(pos, MAX_POSITION);
    const list = positions.get(t);
    if (!list) positions.set(t, [at]);
    else if (list.length < MAX_POSITIONS_PER_LEXEME && list[list.length - 1]! < at) list.push(at);
  }
  let out = '';
  for (const [t, list] of positions) out += `${out ? ' ' : ''}${lexeme(t)}:${list.join(',')}`;
  return out;
}

/**
 * tsquery input: each term a phrase (`<->` between neighbours, `<2>` across a SEARCH_BREAK, as
 * the break took a position in the tsvector), all ANDed.
 * @example tsqueryLiteral([{ tokens: ['退货', '货政'] }]) // "('退货' <-> '货政')"
 */
export function tsqueryLiteral(terms: ReadonlyArray<{ tokens: readonly string[] }>): string {
  return terms
    .map((t) => {
      let phrase = '';
      let distance = 1;
      for (const token of t.tokens) {
        if (token === SEARCH_BREAK) {
          distance++;
          continue;
        }
        phrase += phrase ? ` <${distance === 1 ? '-' : distance}> ${lexeme(token)}` : lexeme(token);
        distance = 1;
      }
      return `(${phrase})`;
    })
    .join(' & ');
}

/** What a filter value becomes as an FTS5 token: a private-use mark, the field, a hash of the value. */
const FACET = '\uE002';
export type FacetField = 'agent' | 'team' | 'line' | 'channel' | 'topic' | 'sentiment';
const FIELD_CODE: Record<FacetField, string> = { agent: 'a', team: 't', line: 'b', channel: 'c', topic: 'p', sentiment: 's' };

/** FNV-1a over UTF-16 code units: any value (spaces, Chinese, punctuation) → letters and digits unicode61 keeps as one token. */
function hash36(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * SQLite: a filter value as a token stored beside the text, so that "a common word in one agent's
 * calls" is an AND of two posting lists inside FTS5 (which skips through both), not a walk of the
 * word's hits checking each one's agent. A hash can collide: the exact value is checked on
 * search_docs too.
 */
export const facetToken = (field: FacetField, value: string) => `${FACET}${FIELD_CODE[field]}${hash36(value)}`;

/** SQLite: the filter values a document is found by inside FTS5 (not the rule hits: a re-inspection changes them without the text). */
export function docFacetTokens(d: SearchDoc): string[] {
  return [
    ...(d.agentId !== null ? [facetToken('agent', d.agentId)] : []),
    ...(d.teamId !== null ? [facetToken('team', d.teamId)] : []),
    ...(d.businessLine !== null ? [facetToken('line', d.businessLine)] : []),
    facetToken('channel', d.channel),
    ...(d.sentimentLabel !== null ? [facetToken('sentiment', d.sentimentLabel)] : []),
    ...new Set(d.topics.map((t) => facetToken('topic', t))),
  ];
}

/** The same tokens for a search's filters. */
export function filterFacetTokens(f: SearchFilters): string[] {
  return [
    ...(f.agentId !== undefined ? [facetToken('agent', f.agentId)] : []),
    ...(f.teamId !== undefined ? [facetToken('team', f.teamId)] : []),
    ...(f.businessLine !== undefined ? [facetToken('line', f.businessLine)] : []),
    ...(f.channel !== undefined ? [facetToken('channel', f.channel)] : []),
    ...(f.sentiment !== undefined ? [facetToken('sentiment', f.sentiment)] : []),
    ...(f.topic !== undefined ? [facetToken('topic', f.topic)] : []),
  ];
}
