import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, JSONObjectResolver, LocalDateResolver } from 'graphql-scalars';
import { parseIdNumber, parseIdentifier, parseUscc } from '../../signer/index.ts';
import type { builder as Builder } from './builder.ts';
import { toGraphQLError } from './errors.ts';

type SchemaBuilder = typeof Builder;

/** A string scalar whose input goes through a parser that throws our typed errors. */
function stringScalar(builder: SchemaBuilder, name: 'LicenceIdentifier' | 'UnifiedSocialCreditCode' | 'IdNumber' | 'Sha256', description: string, parse: (value: string) => string) {
  const parseValue = (value: unknown): string => {
    if (typeof value !== 'string') throw new GraphQLError(`${name} must be a string`, { extensions: { code: 'BAD_USER_INPUT' } });
    try {
      return parse(value);
    } catch (e) {
      throw toGraphQLError(e) ?? e;
    }
  };
  builder.scalarType(name, {
    description,
    serialize: (value) => String(value),
    parseValue,
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } });
      return parseValue(node.value);
    },
  });
}

/** The custom scalars: each checks its standard's check character where it has one. */
export function addScalars(builder: SchemaBuilder): void {
  stringScalar(
    builder,
    'LicenceIdentifier',
    '电子证照标识 (GB/T 36904-2018), 校验位按 ISO 7064 MOD 37,36 校验。 / Electronic licence identifier after GB/T 36904-2018, check character verified (ISO 7064 MOD 37,36).',
    (v) => parseIdentifier(v).value,
  );
  stringScalar(
    builder,
    'UnifiedSocialCreditCode',
    '统一社会信用代码 (GB 32100-2015), 18 位, 校验码已校验。 / Unified social credit code after GB 32100-2015: 18 characters, check character verified.',
    (v) => parseUscc(v, 'uscc'),
  );
  stringScalar(
    builder,
    'IdNumber',
    '公民身份号码 (GB 11643-1999), 18 位, 校验码已校验 (末位 x 规范为 X)。 / Citizen ID number after GB 11643-1999: 18 characters, check digit verified (a final x becomes X).',
    (v) => parseIdNumber(v, { field: 'idNumber' }),
  );
  stringScalar(builder, 'Sha256', 'SHA-256 摘要, 64 位小写十六进制。 / A SHA-256 digest as 64 lower-case hexadecimal digits.', (v) => {
    if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new GraphQLError('Sha256 must be 64 hexadecimal digits', { extensions: { code: 'BAD_USER_INPUT' } });
    return v.toLowerCase();
  });
  builder.addScalarType('LocalDate', LocalDateResolver, {
    description: '日期 YYYY-MM-DD (中国标准时间的日历日)。 / A calendar date YYYY-MM-DD (in China Standard Time).',
  });
  builder.addScalarType('DateTime', DateTimeResolver, {
    description: '时刻, RFC 3339 (UTC)。 / An instant, RFC 3339 (UTC).',
  });
  builder.addScalarType('JSONObject', JSONObjectResolver, {
    description: 'JSON 对象, 如照面信息。 / A JSON object, e.g. a licence\'s face data (照面信息).',
  });
  builder.scalarType('Upload', {
    description: '按 GraphQL multipart 请求规范上传的文件。 / A file uploaded by the GraphQL multipart request specification.',
    serialize: () => {
      throw new GraphQLError('Upload is an input-only scalar');
    },
  });
}
