import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../gateway/runtime/config.ts';
import { useTestDatabase } from '../support/database.ts';

/**
 * The migrations are written by hand (Prisma's migrate engine is native and offline here),
 * so this test holds them to schema.prisma: every scalar field of every model is a column
 * of the right type and nullability in a freshly migrated database, and nothing extra.
 */
const columnTypes: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
  Float: 'double precision',
};

interface Field {
  column: string;
  type: string;
  nullable: boolean;
}

function parseSchema(text: string): Map<string, Field[]> {
  const models = new Map<string, { table: string; fields: Field[] }>();
  const modelNames = new Set([...text.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!));
  for (const block of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const [, name, body] = block;
    const table = /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? name!;
    const fields: Field[] = [];
    for (const line of body!.split('\n')) {
      const m = /^\s+(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!m || line.trim().startsWith('//') || line.trim().startsWith('@@')) continue;
      const [, field, type, modifier, rest] = m;
      if (modelNames.has(type!) || modifier === '[]') continue; // relation fields have no column
      fields.push({ column: /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? field!, type: type!, nullable: modifier === '?' });
    }
    models.set(name!, { table, fields });
  }
  return new Map([...models.values()].map((m) => [m.table, m.fields]));
}

describe('prisma/migrations against prisma/schema.prisma', () => {
  const t = useTestDatabase();
  const schema = parseSchema(fs.readFileSync(path.join(projectRoot, 'prisma', 'schema.prisma'), 'utf8'));

  it('finds the models of the schema', () => {
    expect(schema.size).toBeGreaterThan(5);
  });

  it('has every table and column of the schema, with its type and nullability, and no others', async () => {
    const { rows } = await t.db.pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map<string, Field[]>();
    for (const r of rows) {
      const list = actual.get(r.table_name) ?? [];
      list.push({ column: r.column_name, type: r.data_type, nullable: r.is_nullable === 'YES' });
      actual.set(r.table_name, list);
    }
    const expected = new Map(
      [...schema].map(([table, fields]) => [table, fields.map((f) => ({ ...f, type: columnTypes[f.type] ?? `unknown ${f.type}` }))]),
    );
    const sort = (m: Map<string, Field[]>) =>
      Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort((a, b) => a.column.localeCompare(b.column))]));

    expect(sort(actual)).toEqual(sort(expected));
  });
});
