import { Command } from 'commander';
import { analyzeFile } from '../../analyze/analyze-file.js';
import type { AnalysisDocument } from '../../analyze/analysis-document.schema.js';
import { readJsonFile } from '../../ingest/discover-inputs.js';
import { compileDictionary } from '../../transcribe/correction/compile-dictionary.js';
import { parseCorrectionDictionary } from '../../transcribe/correction/correction-dictionary.schema.js';
import type { CurrentDictionary } from '../../transcribe/correction/correction-service.js';
import { compileRuleSet } from '../../rules/compile/compile-rule-set.js';
import { loadRuleSet } from '../../rules/language/parse-rule-files.js';
import { readRuleFiles, templatesDir } from '../../rules/templates.js';
import { highlight } from './rules-command.js';
import { formatDuration } from '../call-summary.js';
import { cliConfig, type GlobalOptions } from '../cli-config.js';

interface AnalyzeOptions extends GlobalOptions {
  json?: boolean;
  /** Rule files; false with --no-rules. */
  rules?: string[] | false;
  dictionary?: string;
}

async function readCorrectionDictionary(file: string): Promise<CurrentDictionary> {
  const doc = parseCorrectionDictionary(await readJsonFile(file), file);
  return { version: 0, compiled: compileDictionary(doc) };
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('analyse one recording or transcript JSON without storing anything; --json prints the analysis document (docs/schemas/analysis-document.schema.json)')
    .argument('<file>', 'a recording (with optional sidecar <name>.json) or a transcript JSON')
    .option('--json', 'print the analysis document as JSON')
    .option('--rules <paths...>', 'rule files or folders to judge with (default: the built-in templates, templates/rules)')
    .option('--no-rules', 'do not judge (inspection is null)')
    .option('--dictionary <file>', 'correction dictionary JSON applied to the transcript (see samples/correction-dictionary.json)')
    .option('--config <file>', 'JSON config file (env TINGJIAN_CONFIG)')
    .action(async (file: string, opts: AnalyzeOptions) => {
      const config = cliConfig(opts);
      // Rules are read before any audio work, so a broken rule file fails fast with its line numbers.
      const rules = opts.rules === false ? null : compileRuleSet(loadRuleSet(await readRuleFiles(opts.rules ?? [templatesDir()])));
      const doc = await analyzeFile(file, config, {
        ...(opts.dictionary ? { dictionary: await readCorrectionDictionary(opts.dictionary) } : {}),
        ...(rules ? { rules } : {}),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      const s = doc.signals;
      const lines = [
        `call      ${doc.call.externalId ?? '(no externalId)'}  agent ${doc.call.agentId ?? '—'}  ${doc.call.businessLine ?? ''}`,
        `duration  ${formatDuration(doc.call.durationMs)}${doc.recording ? `  ${doc.recording.format}/${doc.recording.codec} ${doc.recording.sampleRate} Hz × ${doc.recording.channels}` : ''}`,
        `segments  ${doc.transcript?.segments.length ?? 0}`,
        s
          ? `talk      agent ${formatDuration(s.talkMs.agent)}  customer ${formatDuration(s.talkMs.customer)}; silence ${formatDuration(s.silence.totalMs)} (longest ${formatDuration(s.silence.longestMs)}); interruptions agent ${s.interruptions.agent} customer ${s.interruptions.customer}`
          : 'signals   none (no transcript)',
        ...(s?.source === 'audio' ? [`speech    ${s.speech.agent.length + s.speech.customer.length + s.speech.unknown.length} spans measured from the audio; holds ${s.holds.length}`] : []),
        ...inspectionLines(doc.inspection),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function inspectionLines(i: AnalysisDocument['inspection']): string[] {
  if (!i) return [];
  const score = i.score ? `score     ${i.score.percent} / 100 ${i.score.band ?? ''}${i.score.fatal ? ' (一票否决 fatal)' : ''} — ${i.score.scorecardName}${i.score.pendingManual ? `, ${i.score.pendingManual} items for a person` : ''}` : 'score     no scorecard for this business line';
  const hits = i.results.filter((r) => r.outcome === 'hit');
  const lines = [score, `rules     ${hits.length} hit, ${i.results.filter((r) => r.outcome === 'pass').length} pass, ${i.results.filter((r) => r.outcome === 'na').length} n/a`];
  for (const r of hits) {
    lines.push(`  ✗ ${r.ruleName} (${r.ruleId})${r.severity === 'fatal' ? ' [fatal]' : ''}${r.reason ? ` — ${r.reason}` : ''}`);
    for (const e of r.evidence.slice(0, 3)) lines.push(`      ${(e.startMs / 1000).toFixed(1)}s  ${e.segmentIndex === null ? e.text : highlight(e.text, e.spans)}`);
  }
  return lines;
}
