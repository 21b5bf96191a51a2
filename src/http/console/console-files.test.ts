import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ConsoleFiles } from './console-files.js';

// The console's files from a built folder of our own: hashed assets with their types, index.html
// only as the page (with its nonce), never through /assets/ and never anything outside.

const root = mkdtempSync(path.join(os.tmpdir(), 'tingjian-console-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta name="csp-nonce" content="" /><script type="module" src="/assets/index-abc.js"></script>');
writeFileSync(path.join(root, 'assets/index-abc.js'), 'console.log(1)');
writeFileSync(path.join(root, 'assets/index-abc.css'), 'body{}');
writeFileSync(path.join(root, 'secret.txt'), 'not an asset');
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

test('the page gets a fresh nonce each time', async () => {
  const [a, b] = [await files.page(), await files.page()];
  assert.notEqual(a.nonce, b.nonce);
  assert.ok(a.html.includes(`<meta name="csp-nonce" content="${a.nonce}" />`));
});
