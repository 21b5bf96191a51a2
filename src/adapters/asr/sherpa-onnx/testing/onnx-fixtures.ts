import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Test fixtures: tiny but valid ONNX models that sherpa-onnx loads and runs, so the recognizer
 * threads, the child-process probe and the result handling are exercised for real without a
 * downloaded model. Written with a minimal protobuf encoder (ONNX files are protobuf
 * ModelProto messages; field numbers from onnx/onnx.proto).
 */

class Proto {
  private readonly parts: Buffer[] = [];
  varint(field: number, value: number): this {
    this.parts.push(varint(field * 8), varint(value));
    return this;
  }
  bytes(field: number, value: Buffer | Proto | string): this {
    const buf = value instanceof Proto ? value.toBuffer() : Buffer.from(value);
    this.parts.push(varint(field * 8 + 2), varint(buf.length), buf);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

const FLOAT = 1;
const INT32 = 6;

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian). */
function tensor(name: string, dims: number[], type: typeof FLOAT | typeof INT32, values: number[]): Proto {
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => (type === FLOAT ? raw.writeFloatLE(v, i * 4) : raw.writeInt32LE(v, i * 4)));
  const t = new Proto();
  for (const d of dims) t.varint(1, d);
  return t.varint(2, type).bytes(8, name).bytes(9, raw);
}

/** ValueInfoProto with a tensor type; a string dim is symbolic (dim_param), a number fixed (dim_value). */
function valueInfo(name: string, type: number, dims: Array<number | string>): Proto {
  const shape = new Proto();
  for (const d of dims) shape.bytes(1, typeof d === 'number' ? new Proto().varint(1, d) : new Proto().bytes(2, d));
  const tensorType = new Proto().varint(1, type).bytes(2, shape);
  return new Proto().bytes(1, name).bytes(2, new Proto().bytes(1, tensorType));
}

function identity(input: string, output: string): Proto {
  return new Proto().bytes(1, input).bytes(2, output).bytes(3, `identity_${output}`).bytes(4, 'Identity');
}

function model(graph: Proto, metadata: Record<string, string>): Buffer {
  const m = new Proto().varint(1, 7).bytes(2, 'tingjian-test').bytes(7, graph).bytes(8, new Proto().bytes(1, '').varint(2, 13));
  for (const [key, value] of Object.entries(metadata)) m.bytes(14, new Proto().bytes(1, key).bytes(2, value));
  return m.toBuffer();
}

export const FAKE_PARAFORMER_TOKENS = ['<blank>', '<s>', '</s>', '你', '好', '<unk>'];

/**
 * A "Paraformer" that ignores the audio and always outputs `text` (tokens from
 * FAKE_PARAFORMER_TOKENS; empty text → it outputs end-of-sentence at once). sherpa-onnx reads
 * the logits (1 × tokens × vocab) and stops at </s>; token_num is required but unused.
 * `metadata: false` leaves out the metadata sherpa-onnx needs, which makes it exit(-1).
 */
export function fakeParaformerModel(text: string[], options: { metadata?: boolean } = {}): Buffer {
  const vocab = FAKE_PARAFORMER_TOKENS.length;
  const ids = [...text.map((t) => FAKE_PARAFORMER_TOKENS.indexOf(t)), FAKE_PARAFORMER_TOKENS.indexOf('</s>')];
  if (ids.some((i) => i < 0)) throw new Error(`fake paraformer: unknown token in ${text.join('')}`);
  const logits = ids.flatMap((id) => Array.from({ length: vocab }, (_, k) => (k === id ? 0 : -10)));
  const graph = new Proto()
    .bytes(1, identity('logits_value', 'logits'))
    .bytes(1, identity('token_num_value', 'token_num'))
    .bytes(2, 'fake-paraformer')
    .bytes(5, tensor('logits_value', [1, ids.length, vocab], FLOAT, logits))
    .bytes(5, tensor('token_num_value', [1], INT32, [ids.length]))
    .bytes(11, valueInfo('speech', FLOAT, ['N', 'T', 560]))
    .bytes(11, valueInfo('speech_lengths', INT32, ['N']))
    .bytes(12, valueInfo('logits', FLOAT, [1, ids.length, vocab]))
    .bytes(12, valueInfo('token_num', INT32, [1]));
  const dim = 560;
  const metadata: Record<string, string> =
    options.metadata === false
      ? {}
      : {
          vocab_size: String(vocab),
          lfr_window_size: '7',
          lfr_window_shift: '6',
          neg_mean: Array(dim).fill('0').join(','),
          inv_stddev: Array(dim).fill('1').join(','),
        };
  return model(graph, metadata);
}

/** A model folder sherpa-onnx loads as a Paraformer; returns its path. */
export async function writeFakeParaformerDir(dir: string, text: string[], options: { metadata?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.int8.onnx'), fakeParaformerModel(text, options));
  await writeFile(path.join(dir, 'tokens.txt'), FAKE_PARAFORMER_TOKENS.map((t, i) => `${t} ${i}`).join('\n') + '\n');
  return dir;
}
