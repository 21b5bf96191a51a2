/**
 * npx tsx scripts/discover-topics.ts [--jddc <dir>] [--k N] [--seed N] [--period day|week] [--taxonomy file.yaml]
 *
 * Topic discovery (src/enrich/topics/discover-topics.ts) over the real JD.com dialogues of CSDS/
 * JDDC (../shared/data/csds_jddc by default: 800 dialogues, key utterances only), for judging the
 * clusters by hand: keywords, size, typical utterances, the taxonomy topic covering each or
 * "emerging". Also how the taxonomy's rule-based topics spread over the same dialogues.
 *
 * The dialogues have no dates, so each gets a synthetic one (dialogue i on day i mod 28 of
 * 2024-03): the per-period counts show the format, not a trend.
 */
import { readJddc } from '../eval/jddc.js';
import { assignTopics } from '../src/enrich/topics/assign-topics.js';
import { discoverTopics } from '../src/enrich/topics/discover-topics.js';
import { loadDefaultTaxonomy, loadTaxonomy } from '../src/enrich/topics/parse-taxonomy.js';
import type { PeriodUnit } from '../src/enrich/topics/periods.js';
import { jddcDir, option } from './jddc-args.js';

const dir = jddcDir();
const taxonomyFile = option('--taxonomy');
const taxonomy = taxonomyFile ? loadTaxonomy(taxonomyFile) : loadDefaultTaxonomy();
const dialogues = readJddc(dir);
const DAY = 86_400_000;
const start = Date.UTC(2024, 2, 1);
/** Masked values ([姓名], [地址] …) are not words the customer said. */
const unmask = (t: string): string => t.replace(/\[[^\]]{1,8}\]/g, ' ');
const calls = dialogues.map((d, i) => ({
  callId: `jddc-${d.line}`,
  at: start + (i % 28) * DAY,
  customerTexts: d.turns.filter((t) => t.speaker === 'customer').map((t) => unmask(t.text)),
}));

const t0 = performance.now();
const clusters = discoverTopics(calls, {
  taxonomy,
  period: (option('--period') as PeriodUnit | undefined) ?? 'week',
  ...(option('--k') ? { k: Number(option('--k')) } : {}),
  ...(option('--seed') ? { seed: Number(option('--seed')) } : {}),
});
const said = calls.reduce((n, c) => n + c.customerTexts.length, 0);
const clustered = clusters.reduce((n, c) => n + c.utterances, 0);
console.log(`# ${clusters.length} clusters from ${calls.length} dialogues in ${Math.round(performance.now() - t0)} ms`);
console.log(`# ${clustered} of ${said} customer utterances clustered (the rest: no topic word, or unlike every centroid)\n`);
for (const c of clusters) {
  const cover = c.emerging ? 'EMERGING (no taxonomy topic)' : `taxonomy: ${c.taxonomyTopic ?? '-'}`;
  console.log(`## ${c.id}  ${c.keywords.join(' ')}`);
  console.log(`   ${c.size} calls, ${c.utterances} utterances, cohesion ${c.cohesion}, coverage ${c.coverage}, ${cover}`);
  console.log(`   per week: ${c.counts.map((p) => `${p.period}:${p.calls}`).join(' ')}`);
  for (const e of c.examples) console.log(`   · ${e.slice(0, 80)}`);
  console.log('');
}

const spread = new Map<string, number>();
let none = 0;
for (const d of dialogues) {
  const topics = assignTopics(
    d.turns.map((t, index) => ({ index, speaker: t.speaker, text: t.text })),
    taxonomy,
  );
  if (!topics.length) none++;
  for (const t of topics) spread.set(t.name, (spread.get(t.name) ?? 0) + 1);
}
console.log(`# taxonomy topics (rule-based) over the ${dialogues.length} dialogues; ${none} without a topic`);
for (const [name, n] of [...spread].sort((a, b) => b[1] - a[1])) console.log(`   ${name} ${n}`);
