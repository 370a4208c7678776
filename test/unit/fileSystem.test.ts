/** Reading files: whole when under the limit, cut at the limit, and files whose size stat does not know. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';

describe('nodeFileSystem.readFile', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-readfile-'));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer): string => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const patterned = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + 3) % 251));

  it('returns every byte of files of any size under the limit, also across the first buffer size', () => {
    for (const size of [0, 1, 4095, 4096, 4097, 100_000]) {
      const bytes = patterned(size);
      const read = nodeFileSystem.readFile(write(`f${size}`, bytes), 1 << 20);
      assert.ok(read instanceof Uint8Array, `size ${size}`);
      assert.ok(Buffer.from(read).equals(bytes), `size ${size}`);
    }
  });

  it('stops at the limit', () => {
    const bytes = patterned(10_000);
    const read = nodeFileSystem.readFile(write('long', bytes), 3);
    assert.ok(read instanceof Uint8Array);
    assert.deepEqual([...read], [...bytes.subarray(0, 3)]);
    const cut = nodeFileSystem.readFile(write('long2', bytes), 9_999);
    assert.ok(cut instanceof Uint8Array && Buffer.from(cut).equals(bytes.subarray(0, 9_999)));
  });

  it('reads a file that stat reports as empty but is not (/proc)', () => {
    assert.equal(fs.statSync('/proc/self/status').size, 0);
    const read = nodeFileSystem.readFile('/proc/self/status', 1 << 20);
    assert.ok(read instanceof Uint8Array);
    assert.match(Buffer.from(read).toString('utf8'), /^Name:[\s\S]*\nPid:/);
    // Longer than the first buffer: the read grows it and still ends at the file's own end.
    const smaps = nodeFileSystem.readFile('/proc/self/smaps', 1 << 24);
    assert.ok(smaps instanceof Uint8Array && smaps.length > 16_384, `smaps: ${smaps instanceof Uint8Array ? smaps.length : smaps}`);
    assert.match(Buffer.from(smaps).toString('utf8'), /VmFlags:[^\n]*\n$/);
  });
});
