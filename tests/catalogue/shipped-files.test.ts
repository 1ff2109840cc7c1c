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
    expect(parsed.matter.map((m) => m.content.kind).sort()).toEqual(['即办', '即办', '即办', '承诺件', '承诺件', '联办件']);
    expect(parsed.proof.every((p) => p.content.legalBasis.includes('《'))).toBe(true);
  });
});
