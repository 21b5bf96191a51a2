import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectAudioFormat } from './detect-format.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** An Ogg page header with one segment whose packet starts with `packet`. */
function oggFirstPage(packet: string): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[5] = 0x02; // beginning of stream
  header[26] = 1; // one lacing value
  return Buffer.concat([header, Buffer.from([packet.length]), Buffer.from(packet, 'latin1')]);
}

test('WAV: RIFF....WAVE (and RF64/RIFX so the parser can name them)', () => {
  assert.equal(detectAudioFormat(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')), 'wav');
  assert.equal(detectAudioFormat(bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'WAVEds64')), 'wav');
  assert.equal(detectAudioFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')), null);
});

test('MP3: ID3 tag or a valid MPEG audio frame header', () => {
  assert.equal(detectAudioFormat(bytes('ID3', [4, 0, 0, 0, 0, 0, 0x23])), 'mp3');
  assert.equal(detectAudioFormat(bytes([0xff, 0xfb, 0x90, 0x64])), 'mp3'); // MPEG-1 layer III 128k 44.1k
  assert.equal(detectAudioFormat(bytes([0xff, 0xf3, 0x48, 0xc4])), 'mp3'); // MPEG-2 layer III
  assert.equal(detectAudioFormat(bytes([0xff, 0xe3, 0x18, 0xc4])), 'mp3'); // MPEG-2.5 layer III (8 kHz)
});

test('MPEG sync with reserved or invalid fields is not MP3 (ADTS AAC, random bytes)', () => {
  assert.equal(detectAudioFormat(bytes([0xff, 0xf1, 0x50, 0x80])), null); // ADTS AAC: layer 00
  assert.equal(detectAudioFormat(bytes([0xff, 0xeb, 0x90, 0x64])), null); // version 01 reserved
  assert.equal(detectAudioFormat(bytes([0xff, 0xfb, 0xf0, 0x64])), null); // bitrate index 1111
  assert.equal(detectAudioFormat(bytes([0xff, 0xfb, 0x9c, 0x64])), null); // sample rate index 11
  assert.equal(detectAudioFormat(bytes([0xff, 0xfb])), null); // too short to tell
});

test('Ogg: opus when the first packet is OpusHead, else ogg', () => {
  assert.equal(detectAudioFormat(oggFirstPage('OpusHead\x01\x01')), 'opus');
  assert.equal(detectAudioFormat(oggFirstPage('\x01vorbis\x00\x00\x00\x00')), 'ogg');
  // First page cut short: only then does the name decide.
  assert.equal(detectAudioFormat(bytes('OggS', [0, 2])), 'ogg');
  assert.equal(detectAudioFormat(bytes('OggS', [0, 2]), 'call.opus'), 'opus');
});

test('AMR-NB and AMR-WB magic', () => {
  assert.equal(detectAudioFormat(bytes('#!AMR\n', [0x3c])), 'amr');
  assert.equal(detectAudioFormat(bytes('#!AMR-WB\n', [0x44])), 'amr');
});

test('ISO BMFF (ftyp) is m4a', () => {
  assert.equal(detectAudioFormat(bytes([0, 0, 0, 0x1c], 'ftypM4A ')), 'm4a');
  assert.equal(detectAudioFormat(bytes([0, 0, 0, 0x18], 'ftyp3gp4')), 'm4a');
});

test('anything else is null, whatever the file name says', () => {
  assert.equal(detectAudioFormat(Buffer.alloc(0)), null);
  assert.equal(detectAudioFormat(bytes('hello, this is a transcript'), 'call.wav'), null);
  assert.equal(detectAudioFormat(bytes('fLaC', [0, 0, 0, 0x22])), null);
  assert.equal(detectAudioFormat(bytes([0x1a, 0x45, 0xdf, 0xa3])), null); // Matroska/WebM
  assert.equal(detectAudioFormat(bytes('<!DOCTYPE html>')), null);
});
