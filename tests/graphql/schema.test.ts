import fs from 'node:fs';
import { isInputObjectType, isInterfaceType, isObjectType, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../gateway/graphql/print-schema.ts';
import { printedSchema, schema } from '../../gateway/graphql/schema.ts';

describe('the GraphQL schema', () => {
  it('matches the committed gateway/schema.graphql (run `npm run schema` after changing it on purpose)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('documents every type, field, argument and enum value in Chinese and English', () => {
    const undocumented: string[] = [];
    const bilingual = (text: string | null | undefined) => !!text && /[\u4e00-\u9fff]/.test(text) && /[A-Za-z]{3}/.test(text);
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Boolean', 'ID', 'Float'].includes(type.name)) continue;
      if (!bilingual(type.description)) undocumented.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!bilingual(field.description)) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!bilingual(arg.description)) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) if (!bilingual(v.description)) undocumented.push(`${type.name}.${v.name}`);
    }
    expect(undocumented).toEqual([]);
  });
});
