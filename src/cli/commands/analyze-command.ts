import { Command } from 'commander';
import { analyzeFile } from '../../analyze/analyze-file.js';
import { readJsonFile } from '../../ingest/discover-inputs.js';
import { compileDictionary } from '../../transcribe/correction/compile-dictionary.js';
import { parseCorrectionDictionary } from '../../transcribe/correction/correction-dictionary.schema.js';
import type { CurrentDictionary } from '../../transcribe/correction/correction-service.js';
import { TingjianError } from '../../domain/errors.js';
import { formatDuration } from '../call-summary.js';
import { cliConfig, type GlobalOptions } from '../cli-config.js';

interface AnalyzeOptions extends GlobalOptions {
  json?: boolean;
  rules?: string;
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
    .option('--rules <file>', 'rule set to judge with')
    .option('--dictionary <file>', 'correction dictionary JSON applied to the transcript (see samples/correction-dictionary.json)')
    .option('--config <file>', 'JSON config file (env TINGJIAN_CONFIG)')
    .action(async (file: string, opts: AnalyzeOptions) => {
      if (opts.rules) {
        // Honest refusal: the rule engine is issue 4 (判准); we do not print an empty inspection as if judged.
        throw new TingjianError('INVALID_REQUEST', '--rules is not available yet: the inspection engine has not landed; run without --rules (inspection is null)');
      }
      const config = cliConfig(opts);
      const doc = await analyzeFile(file, config, opts.dictionary ? { dictionary: await readCorrectionDictionary(opts.dictionary) } : {});
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
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
