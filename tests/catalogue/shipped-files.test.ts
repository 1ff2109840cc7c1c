import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueSchemaDir, shippedCatalogueDir } from '../../gateway/services/catalogue/index.ts';
import { readCatalogueFolder } from '../../gateway/services/catalogue/read-folder.ts';

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.json') ? [path.join(dir, d.name)] : []));

describe('the shipped catalogue folder', () => {
  it.each(files(shippedCatalogueDir).filter((f) => !f.startsWith(catalogueSchemaDir)).map((f) => [path.relative(shippedCatalogueDir, f), f]))(
    '%s names a published schema that exists, for editors',
    (_name, file) => {
      const { $schema } = JSON.parse(fs.readFileSync(file, 'utf8')) as { $schema?: string };
      expect($schema).toMatch(/schema\/[a-z-]+\.schema\.json$/);
      expect(fs.existsSync(path.resolve(path.dirname(file), $schema!))).toBe(true);
    },
  );

  it.each(fs.readdirSync(catalogueSchemaDir).map((f) => [f]))('%s is a draft 2020-12 schema with its own $id', (name) => {
    const schema = JSON.parse(fs.readFileSync(path.join(catalogueSchemaDir, name), 'utf8')) as { $schema: string; $id: string };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id.endsWith(`/catalogue/schema/${name}`)).toBe(true);
  });

  it('matches its schemas file by file (references need the database: see catalogue-load.test.ts)', () => {
    const parsed = readCatalogueFolder(shippedCatalogueDir);
    expect(parsed.matter.map((m) => m.content.kind).sort()).toEqual(['即办', '即办', '即办', '承诺件', '承诺件', '承诺件', '承诺件', '承诺件', '联办件', '联办件']);
    expect(parsed.proof.every((p) => p.content.legalBasis.includes('《'))).toBe(true);
  });

  it('runs the 工程建设项目 joint approval as one bundle whose each step reuses the permit the step before issued', () => {
    const parsed = readCatalogueFolder(shippedCatalogueDir);
    const bundle = parsed.bundle.find((b) => b.content.code === '350200-YJS-GCJS')!.content;
    expect(bundle.matters).toEqual(['350200-ZYGH-0001', '350200-ZYGH-0002', '350200-JSJ-0001', '350200-JSJ-0002']);
    const kinds = (code: string) => parsed.matter.find((m) => m.content.code === code)!.content.materials.map((m: { kind: string }) => m.kind);
    expect(kinds('350200-ZYGH-0002')).toContain('landuse-planning-permit');
    expect(kinds('350200-JSJ-0001')).toContain('planning-permit');
    expect(kinds('350200-JSJ-0002')).toContain('construction-permit');
  });
});
