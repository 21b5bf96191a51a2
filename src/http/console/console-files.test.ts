import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { acceptedEncodings, ConsoleFiles } from './console-files.js';

// The console's files from a built folder of our own: hashed assets with their types, index.html
// only as the page (with its nonce), never through /assets/ and never anything outside.

const root = mkdtempSync(path.join(os.tmpdir(), 'tingjian-console-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta name="csp-nonce" content="" /><script type="module" src="/assets/index-abc.js"></script>');
writeFileSync(path.join(root, 'assets/index-abc.js'), 'console.log(1)');
writeFileSync(path.join(root, 'assets/index-abc.css'), 'body{}');
writeFileSync(path.join(root, 'secret.txt'), 'not an asset');
const big = 'export const words = "' + '质检'.repeat(2000) + '";';
writeFileSync(path.join(root, 'assets/big-abc.js'), big);
writeFileSync(path.join(root, 'assets/big-abc.js.br'), brotliCompressSync(big));
writeFileSync(path.join(root, 'assets/big-abc.js.gz'), gzipSync(big));
writeFileSync(path.join(root, 'assets/gz-only-abc.css'), 'body{}');
writeFileSync(path.join(root, 'assets/gz-only-abc.css.gz'), gzipSync('body{}'));
const files = new ConsoleFiles(root);

test('assets are served with their content type, cached for good', async () => {
  const js = await files.file('/assets/index-abc.js?v=1');
  assert.deepEqual([js?.type, js?.immutable, js?.body.toString()], ['text/javascript; charset=utf-8', true, 'console.log(1)']);
  assert.equal((await files.file('/assets/index-abc.css'))?.type, 'text/css; charset=utf-8');
});

test('nothing but the assets folder: no index.html without its nonce, no file beside it, no way out', async () => {
  for (const url of ['/assets/%2e%2e/index.html', '/assets/..%2findex.html', '/assets/%2e%2e/secret.txt', '/assets/../../package.json', '/assets/..%2f..%2fpackage.json', '/assets/', '/assets/x%00.js', '/assets/%E0%A4%A']) {
    assert.equal(await files.file(url), null, url);
  }
});

test("the build's brotli or gzip copy goes to a browser that takes it, the plain file to one that does not", async () => {
  const brotli = await files.file('/assets/big-abc.js', 'gzip, deflate, br, zstd');
  assert.equal(brotli?.encoding, 'br');
  assert.equal(brotliDecompressSync(brotli.body).toString(), big);
  assert.equal(brotli.type, 'text/javascript; charset=utf-8', 'the type of the file, not of the copy');
  const gz = await files.file('/assets/big-abc.js', 'gzip');
  assert.equal(gz?.encoding, 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), big);
  for (const refuses of [undefined, '', 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
    const plain = await files.file('/assets/big-abc.js', refuses);
    assert.deepEqual([plain?.encoding, plain?.body.toString()], [undefined, big], String(refuses));
  }
  assert.equal((await files.file('/assets/gz-only-abc.css', 'br, gzip'))?.encoding, 'gzip', 'gzip when the build wrote no brotli copy');
  assert.equal((await files.file('/assets/index-abc.js', 'br, gzip'))?.encoding, undefined, 'plain when it wrote none');
});

test('Accept-Encoding: q=0 refuses, * takes the rest, brotli first', () => {
  assert.deepEqual(acceptedEncodings('gzip, deflate, br'), ['br', 'gzip']);
  assert.deepEqual(acceptedEncodings('br;q=0, gzip;q=0.5'), ['gzip']);
  assert.deepEqual(acceptedEncodings('*'), ['br', 'gzip']);
  assert.deepEqual(acceptedEncodings('*;q=0.1, gzip;q=0'), ['br']);
  assert.deepEqual(acceptedEncodings('GZIP'), ['gzip']);
  assert.deepEqual(acceptedEncodings(undefined), []);
});

test('the page gets a fresh nonce each time', async () => {
  const [a, b] = [await files.page(), await files.page()];
  assert.notEqual(a.nonce, b.nonce);
  assert.ok(a.html.includes(`<meta name="csp-nonce" content="${a.nonce}" />`));
});
