/**
 * Paths inside an OFD package (GB/T 33190 §7.3 ST_Loc): absolute from the package root
 * when they start with `/`, else relative to the file that names them; and, as readers in
 * the wild do, from the root when the relative file does not exist. Shared by the signer,
 * which seals received packages, and the verifier, which judges them.
 */

/**
 * The entry `ref` names from inside the entry `base`, among those `has` knows; undefined
 * when none of the candidates exists or `..` climbs above the root.
 */
export function resolveOfdPath(has: (entry: string) => boolean, ref: string, base: string): string | undefined {
  const clean = ref.trim().replace(/\\/g, '/');
  if (clean === '') return undefined;
  const folder = base.includes('/') ? base.slice(0, base.lastIndexOf('/')) : '';
  const candidates = clean.startsWith('/') ? [normalise(clean)] : [normalise(`${folder}/${clean}`), normalise(clean)];
  return candidates.find((c): c is string => c !== undefined && has(c));
}

/** `a/./b/../c` → `a/c`; undefined when `..` climbs above the root. */
function normalise(p: string): string | undefined {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}
