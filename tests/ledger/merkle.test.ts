import { describe, expect, it } from 'vitest';
import { auditPath, leafHash, merkleRoot, rootFromPath } from '../../ledger/merkle.ts';

// Certificate Transparency's reference vectors (RFC 6962 trees; C++ merkle_tree_test).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hashes = LEAVES.map(leafHash);

describe('RFC 6962 Merkle trees', () => {
  it.each(ROOTS.map((root, n) => [n, root] as const))('root of the first %i reference leaves is the published one', (n, root) => {
    expect(merkleRoot(hashes.slice(0, n)).toString('hex')).toBe(root);
  });

  it.each([
    [8, 0, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
    [5, 1, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
    [3, 2, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
    [1, 0, []],
  ] as const)('in a tree of %i leaves, the audit path of leaf %i is the published one', (size, index, path) => {
    expect(auditPath(index, hashes.slice(0, size)).map((h) => h.toString('hex'))).toEqual(path);
  });

  it('leads every leaf of trees of 1 to 17 leaves back to the root, and nothing else', () => {
    for (let n = 1; n <= 17; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const path = auditPath(i, leaves);
        expect(rootFromPath(leaves[i]!, i, n, path)?.equals(root)).toBe(true);
        expect(rootFromPath(leaves[(i + 1) % n]!, i, n, path)?.equals(root) ?? false).toBe(n === 1);
        if (path.length > 0) {
          const bent = path.map((h, j) => (j === 0 ? Buffer.from(h).fill(0, 0, 1) : h));
          expect(rootFromPath(leaves[i]!, i, n, bent)?.equals(root) ?? false).toBe(path[0]![0] === 0);
        }
      }
    }
  });

  it.each([
    ['an index past the tree', 8, 8],
    ['a negative index', -1, 8],
    ['a path too long for the tree', 0, 2],
  ])('rejects %s', (_name, index, size) => {
    expect(rootFromPath(hashes[0]!, index, size, auditPath(0, hashes))).toBeUndefined();
  });

  it('never takes a leaf for an inner node (0x00 and 0x01 prefixes)', () => {
    const inner = merkleRoot(hashes.slice(0, 2));
    expect(leafHash(Buffer.concat([hashes[0]!, hashes[1]!])).equals(inner)).toBe(false);
  });
});
