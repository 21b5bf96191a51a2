import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as Sherpa from 'sherpa-onnx-node';
import { TingjianError } from '../../../domain/errors.js';
import { PCM_SAMPLE_RATE } from '../../../ports/voice-activity-detector.js';

const requireHere = createRequire(import.meta.url);

/**
 * Absolute path of sherpa-onnx-node's entry file. Worker threads and probe processes require it
 * by this path: evaluated code resolves bare names from the working directory, not from here.
 */
export function sherpaOnnxEntry(): string {
  return requireHere.resolve('sherpa-onnx-node');
}

/** Loads the native addon in this process (it throws, never aborts, when it is missing). */
export function loadSherpaOnnx(purpose: string): typeof Sherpa {
  try {
    return requireHere('sherpa-onnx-node') as typeof Sherpa;
  } catch (e) {
    throw new TingjianError(
      'DEPENDENCY_MISSING',
      `cannot load sherpa-onnx-node, needed for ${purpose} (${(e as Error).message.split('\n')[0]}); run \`npm install\` (it ships prebuilt binaries for linux-x64/arm64, macOS and Windows)`,
      undefined,
      { cause: e },
    );
  }
}

export type ProbeKind = 'offline-recognizer' | 'speaker-diarization';

/**
 * Loads the model the way the workers will, in a throwaway child process. sherpa-onnx ends the
 * whole process on some bad models instead of throwing: exit(-1) when an ONNX file lacks the
 * metadata its type needs (a Paraformer model configured as SenseVoice, say), abort() when a
 * synchronous constructor meets a file ONNX Runtime cannot parse, and exit() again at decode
 * time for some settings (e.g. a language the Whisper model lacks). Here that only ends the
 * child. The recognizer also decodes one second of silence, which runs those decode-time checks.
 */
const PROBE_SOURCE = `'use strict';
const [kind, entry, json, sampleRate] = process.argv.slice(1);
const sherpa = require(entry);
const config = JSON.parse(json);
(async () => {
  if (kind === 'offline-recognizer') {
    const recognizer = await sherpa.OfflineRecognizer.createAsync(config);
    const stream = recognizer.createStream();
    stream.acceptWaveform({ samples: new Float32Array(Number(sampleRate)), sampleRate: Number(sampleRate) });
    recognizer.decode(stream);
    recognizer.getResult(stream);
  } else {
    const sd = new sherpa.OfflineSpeakerDiarization(config);
    if (sd.sampleRate !== Number(sampleRate)) throw new Error('the segmentation model expects ' + sd.sampleRate + ' Hz audio, not ' + sampleRate + ' Hz');
  }
  process.stdout.write('ok');
})().catch((e) => {
  process.stderr.write('\\nprobe-error: ' + String((e && e.message) || e));
  process.exitCode = 2;
});
`;

/** Big Whisper models take tens of seconds to load on a small machine. */
const PROBE_TIMEOUT_MS = 300_000;

/** Resolves when the model loads; otherwise rejects with the reason sherpa-onnx printed. */
export function probeInChildProcess(kind: ProbeKind, config: object, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PROBE_SOURCE, kind, sherpaOnnxEntry(), JSON.stringify(config), String(PCM_SAMPLE_RATE)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
    child.on('error', (e) => reject(new Error(`cannot start a process to test the model: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0 && stdout === 'ok') return resolve();
      if (signal === 'SIGKILL') return reject(new Error(`loading the model took longer than ${Math.round(timeoutMs / 1000)} s`));
      const how = signal ? `the process was killed by ${signal}` : `the process exited with code ${code}`;
      reject(new Error(`${probeReason(stderr) || 'no reason printed'} (${how})`));
    });
  });
}

/** The useful line(s) of what sherpa-onnx / ONNX Runtime printed before failing. */
export function probeReason(stderr: string): string {
  const own = /probe-error: (.*)$/s.exec(stderr);
  if (own?.[1]) return oneLine(own[1]);
  const what = /what\(\):\s*(.*)$/s.exec(stderr);
  if (what?.[1]) return oneLine(what[1]);
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    // "/path/sherpa-onnx/csrc/offline-paraformer-model.cc:Init:102 'vocab_size' does not exist" → the message.
    .map((l) => l.replace(/^\S*\/csrc\/\S+:\d+\s+/, ''));
  return oneLine(lines.slice(-3).join('; '));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 600);
