import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalDiskBlobStore } from '../../src/adapters/blob/local-disk-blob-store.js';
import { blobStoreContract } from '../contract/blob-store.contract.js';

blobStoreContract('local disk', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-blob-'));
  const store = new LocalDiskBlobStore(path.join(dir, 'recordings'));
  await store.init();
  return {
    store,
    leftovers: () => readdir(path.join(dir, 'recordings', '.staging')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
