import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { projectRoot } from '../../runtime/config.ts';
import { CatalogueSchemaError, type CatalogueProblem } from './errors.ts';
import type { CatalogueEntry, CatalogueKind, ParsedCatalogue } from './model.ts';

/** The catalogue this installation ships: `npm start`'s demo loads it; `catalogue load` takes any folder laid out the same way. */
export const shippedCatalogueDir = path.join(projectRoot, 'catalogue');

/** The published JSON Schemas. Always these, never the copies inside a folder being loaded, which could be loosened. */
export const catalogueSchemaDir = path.join(shippedCatalogueDir, 'schema');

/** Largest catalogue file read: a licence type with its layout is ~10 KB. */
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 10_000;

interface FileRule {
  readonly path: RegExp;
  readonly schema: string;
  readonly kind: CatalogueKind;
  /** The array property that holds the items, for files of many items. */
  readonly list?: string;
  readonly key: (content: Record<string, unknown>) => string;
}

const byCode = (c: Record<string, unknown>) => String(c.code);

/** Where each kind lives in a folder; the README beside the schemas says the same. */
const LAYOUT: readonly FileRule[] = [
  { path: /^authorities\.json$/, schema: 'authorities', kind: 'authority', list: 'authorities', key: byCode },
  { path: /^licence-types\/[^/]+\.json$/, schema: 'licence-type', kind: 'licence-type', key: byCode },
  { path: /^materials\.json$/, schema: 'materials', kind: 'material', list: 'materials', key: byCode },
  { path: /^proofs\.json$/, schema: 'proofs', kind: 'proof', list: 'proofs', key: byCode },
  { path: /^matters\/[^/]+\.json$/, schema: 'matter', kind: 'matter', key: byCode },
  { path: /^bundles\/[^/]+\.json$/, schema: 'bundle', kind: 'bundle', key: byCode },
  { path: /^grants\.json$/, schema: 'grants', kind: 'grant', list: 'grants', key: (g) => `${String(g.department)}/${String(g.matter)}` },
];

/** Files a folder may hold besides catalogue files: documentation and the schemas themselves. */
const IGNORED = /^(README\.md|schema\/.*|\..*|.*\/\..*)$/;

let validators: Map<string, ValidateFunction> | undefined;

function validatorFor(schema: string): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    validators = new Map();
    for (const name of new Set(LAYOUT.map((r) => r.schema))) {
      const text = fs.readFileSync(path.join(catalogueSchemaDir, `${name}.schema.json`), 'utf8');
      validators.set(name, ajv.compile(JSON.parse(text) as object));
    }
  }
  return validators.get(schema)!;
}

/** The file's path inside the folder, with forward slashes, for messages and for matching the layout. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, d.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (d.isDirectory()) {
        if (depth < 3 && !IGNORED.test(`${rel}/`)) walk(abs, depth + 1);
      } else out.push(rel);
      if (out.length > MAX_FILES) return;
    }
  };
  walk(root, 0);
  return out.sort();
}

function schemaProblem(file: string, e: ErrorObject): CatalogueProblem {
  const params = e.params as { additionalProperty?: string; unevaluatedProperty?: string; allowedValues?: unknown[] };
  const name = params.additionalProperty ?? params.unevaluatedProperty;
  // ajv's messages leave out which property or which values; an operator fixing a file needs them.
  const extra = name !== undefined ? `: '${name}'` : params.allowedValues ? ` (${params.allowedValues.join(', ')})` : '';
  return { file, pointer: e.instancePath, message: `${e.message ?? e.keyword}${extra}` };
}

/**
 * Reads a catalogue folder and validates every file against its kind's published schema.
 * Nothing is written anywhere.
 *
 * @throws {@link CatalogueSchemaError} listing every file that is unreadable, not JSON, not
 *   a catalogue file, or off its schema, each with its JSON pointer.
 */
export function readCatalogueFolder(folder: string): ParsedCatalogue {
  let files: string[];
  try {
    files = listFiles(folder);
  } catch (cause) {
    throw new CatalogueSchemaError([{ file: folder, pointer: '', message: `cannot read the folder (${(cause as NodeJS.ErrnoException).code ?? String(cause)})` }]);
  }
  const problems: CatalogueProblem[] = [];
  const parsed: Record<CatalogueKind, CatalogueEntry[]> = { authority: [], 'licence-type': [], material: [], proof: [], matter: [], bundle: [], grant: [] };
  for (const file of files) {
    if (IGNORED.test(file)) continue;
    const rule = LAYOUT.find((r) => r.path.test(file));
    if (!rule) {
      problems.push({ file, pointer: '', message: 'not a catalogue file (expected authorities.json, materials.json, proofs.json, grants.json, licence-types/*.json, matters/*.json or bundles/*.json)' });
      continue;
    }
    let json: unknown;
    try {
      const abs = path.join(folder, file);
      if (fs.statSync(abs).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      json = JSON.parse(fs.readFileSync(abs, 'utf8'));
    } catch (e) {
      problems.push({ file, pointer: '', message: `not readable as JSON: ${(e as Error).message}` });
      continue;
    }
    const validate = validatorFor(rule.schema);
    if (!validate(json)) {
      problems.push(...(validate.errors ?? []).map((e) => schemaProblem(file, e)));
      continue;
    }
    const { $schema: _hint, ...body } = json as Record<string, unknown>;
    const items = rule.list ? (body[rule.list] as Record<string, unknown>[]).map((c, i) => [c, `/${rule.list}/${i}`] as const) : [[body, ''] as const];
    for (const [content, pointer] of items) {
      parsed[rule.kind].push({ kind: rule.kind, key: rule.key(content), file, pointer, content } as unknown as CatalogueEntry);
    }
  }
  if (problems.length > 0) throw new CatalogueSchemaError(problems);
  return parsed as unknown as ParsedCatalogue;
}
