/**
 * The shipped review classifier (models/sentiment/sentiment-model.json): logistic-regression
 * weights over hashed character n-grams, quantised to Int16 and stored as base64 so the model is
 * one small text file (2^18 weights → ~700 KB). Loaded once, on first use, synchronously: scoring
 * is a pure synchronous function.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFolder } from '../../platform/package-path.js';
import { hashedFeatures } from './hashed-features.js';

export const MODEL_FORMAT = 'tingjian-sentiment-hashed-lr/1';

export interface SentimentModelFile {
  format: typeof MODEL_FORMAT;
  /** log2 of the number of hashed buckets. */
  bits: number;
  bias: number;
  /** weight = int16 × scale. */
  scale: number;
  /** Int16 little-endian, base64. */
  weights: string;
  /** How it was trained and what it scored on the held-out reviews (docs, not read back). */
  training: Record<string, unknown>;
}

export interface SentimentModel {
  bits: number;
  bias: number;
  scale: number;
  weights: Int16Array;
}

/** Quantises float weights to Int16 (the largest magnitude maps to 32767). */
export function encodeModel(bits: number, bias: number, weights: Float64Array, training: Record<string, unknown>): SentimentModelFile {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max / 32767 || 1;
  const q = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) q[i] = Math.round(weights[i]! / scale);
  const bytes = Buffer.from(q.buffer, q.byteOffset, q.byteLength);
  return { format: MODEL_FORMAT, bits, bias, scale, weights: bytes.toString('base64'), training };
}

export function decodeModel(file: SentimentModelFile): SentimentModel {
  if (file.format !== MODEL_FORMAT) throw new Error(`sentiment model: format ${String(file.format)}, expected ${MODEL_FORMAT}`);
  const bytes = Buffer.from(file.weights, 'base64');
  if (bytes.length !== 2 << file.bits) throw new Error(`sentiment model: ${bytes.length} bytes of weights, expected ${2 << file.bits}`);
  // Copied into an aligned Int16Array (a Buffer's offset may be odd); little-endian as written.
  const weights = new Int16Array(1 << file.bits);
  for (let i = 0; i < weights.length; i++) weights[i] = bytes.readInt16LE(2 * i);
  return { bits: file.bits, bias: file.bias, scale: file.scale, weights };
}

/** Where the shipped model is, from src/ (tsx) or dist/ (built). */
export const sentimentModelPath = (): string => path.join(packageFolder('models/sentiment', import.meta.url), 'sentiment-model.json');

let shipped: SentimentModel | null = null;

export function shippedSentimentModel(): SentimentModel {
  shipped ??= decodeModel(JSON.parse(readFileSync(sentimentModelPath(), 'utf8')) as SentimentModelFile);
  return shipped;
}

let scratch = new Int32Array(3 * 256);

/**
 * The classifier's log-odds that the text is positive (reviews: > 0 positive); 0 for a text with
 * nothing to read (empty, punctuation only), not the prior of the reviews.
 */
export function classifierMargin(text: string, model: SentimentModel = shippedSentimentModel()): number {
  if (scratch.length < 3 * text.length) scratch = new Int32Array(3 * text.length);
  const n = hashedFeatures(text, model.bits, scratch);
  if (n === 0) return 0;
  const w = model.weights;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += w[scratch[k]!]!;
  return model.bias + sum * model.scale;
}
