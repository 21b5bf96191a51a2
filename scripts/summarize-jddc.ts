/**
 * npx tsx scripts/summarize-jddc.ts [--jddc <dir>] [--show N] [--from LINE]
 *
 * The extractive call summary (src/enrich/summary/summarize-call.ts) over the real JD.com
 * dialogues of CSDS/JDDC (../shared/data/csds_jddc by default), beside the human summaries the
 * data set has (user, agent and overall), for judging by hand; then how the outcomes spread.
 * The dialogues are key-utterance excerpts of chats, often without their opening or close.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readJddc } from '../eval/jddc.js';
import { summarizeCall } from '../src/enrich/summary/summarize-call.js';
import { jddcDir, option } from './jddc-args.js';

const dir = jddcDir();
const lines = (file: string): string[] => readFileSync(path.join(dir, file), 'utf8').split('\n');
const userSummaries = lines('test_user_summaries.txt');
const agentSummaries = lines('test_agent_summaries.txt');
const show = Number(option('--show') ?? 10);
const from = Number(option('--from') ?? 1);

const outcomes = new Map<string, number>();
let withProblem = 0;
let withActions = 0;
const dialogues = readJddc(dir);
for (const d of dialogues) {
  const summary = summarizeCall(d.turns.map((t, index) => ({ index, speaker: t.speaker, text: t.text })));
  outcomes.set(summary.outcome, (outcomes.get(summary.outcome) ?? 0) + 1);
  if (summary.problem) withProblem++;
  if (summary.actions.length) withActions++;
  if (d.line < from || d.line >= from + show) continue;
  console.log(`## line ${d.line}`);
  console.log(`   problem:  ${summary.problem?.text ?? '-'}`);
  console.log(`   human:    ${userSummaries[d.line - 1]}`);
  for (const a of summary.actions) console.log(`   action:   ${a.text}`);
  console.log(`   human:    ${agentSummaries[d.line - 1]}`);
  console.log(`   outcome:  ${summary.outcome}${summary.outcomeEvidence ? ` ← ${summary.outcomeEvidence.text}` : ''}\n`);
}
console.log(`# ${dialogues.length} dialogues: problem found in ${withProblem}, actions in ${withActions}`);
for (const [k, n] of [...outcomes].sort((a, b) => b[1] - a[1])) console.log(`   ${k} ${n}`);
