/**
 * Binary logistic regression over hashed count features, trained with AdaGrad SGD and L2.
 * Deterministic: the visiting order comes from a seeded generator and JavaScript arithmetic is
 * IEEE double everywhere, so the same data and options give the same weights bit for bit.
 */
import { seededRandom } from '../../topics/seeded-random.js';
import { hashedFeatures } from '../hashed-features.js';

/** A training text and its target probability of being positive: 1, 0, or 0.5 for neutral. */
export interface TrainingText {
  text: string;
  label: number;
}

export interface TrainOptions {
  bits: number;
  epochs: number;
  /** AdaGrad step size. */
  learningRate: number;
  /** L2 strength per update. */
  l2: number;
  seed: number;
}

export interface TrainedWeights {
  bits: number;
  bias: number;
  weights: Float64Array;
}

/** All documents' feature indices in one array (offsets[i]..offsets[i+1]), built once. */
function featurize(docs: readonly TrainingText[], bits: number): { index: Int32Array; offsets: Int32Array } {
  const total = docs.reduce((n, d) => n + 3 * d.text.length, 0);
  const index = new Int32Array(total);
  const offsets = new Int32Array(docs.length + 1);
  let scratch = new Int32Array(1024);
  let at = 0;
  docs.forEach((d, i) => {
    if (scratch.length < 3 * d.text.length) scratch = new Int32Array(3 * d.text.length);
    const n = hashedFeatures(d.text, bits, scratch);
    index.set(scratch.subarray(0, n), at);
    at += n;
    offsets[i + 1] = at;
  });
  return { index, offsets };
}

export function trainLogisticRegression(docs: readonly TrainingText[], options: TrainOptions): TrainedWeights {
  const { index, offsets } = featurize(docs, options.bits);
  const size = 1 << options.bits;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const random = seededRandom(options.seed);
  const order = Int32Array.from(docs, (_, i) => i);
  const { learningRate: eta, l2 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (const d of order) {
      const from = offsets[d]!;
      const to = offsets[d + 1]!;
      let z = bias;
      for (let k = from; k < to; k++) z += w[index[k]!]!;
      const p = 1 / (1 + Math.exp(-z));
      const g = p - docs[d]!.label;
      for (let k = from; k < to; k++) {
        const j = index[k]!;
        const grad = g + l2 * w[j]!;
        const sum = g2[j]! + grad * grad;
        g2[j] = sum;
        w[j] = w[j]! - (eta * grad) / Math.sqrt(sum);
      }
      biasG2 += g * g;
      bias -= (eta * g) / Math.sqrt(biasG2);
    }
  }
  return { bits: options.bits, bias, weights: w };
}
