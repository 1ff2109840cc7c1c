import { FaceDataError } from '../../../signer/index.ts';
import { builder } from '../builder.ts';

/** What every typed error result has: the errors plugin's shared interface. */
export const ErrorInterface = builder.interfaceRef<Error & { code?: string }>('Error').implement({
  description: '作为数据返回的业务错误。 / A domain error returned as data rather than in `errors`.',
  fields: (t) => ({
    message: t.exposeString('message', { description: '说明 (无个人数据)。 / What went wrong (no personal data).' }),
    code: t.string({
      description: '稳定的错误码, 与 extensions.code 相同。 / The stable error code, as in extensions.code.',
      resolve: (e) => e.code ?? 'ERROR',
    }),
  }),
});

const FaceFieldProblem = builder.objectRef<{ field: string; message: string }>('FaceFieldProblem').implement({
  description: '照面信息中一个字段的问题。 / One problem with one face-data field.',
  fields: (t) => ({
    field: t.exposeString('field', { description: '字段名, 按证照类型的定义。 / The field, as the licence type names it.' }),
    message: t.exposeString('message', { description: '问题说明。 / What is wrong with it.' }),
  }),
});

builder.objectType(FaceDataError, {
  name: 'FaceDataError',
  description: '照面信息不符合证照类型 (GB/T 36903), 列出每个问题。 / The face data does not fit the licence type (GB/T 36903); every problem is listed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    licenceType: t.exposeString('licenceType', { description: '证照类型。 / The licence type checked against.' }),
    problems: t.field({
      type: [FaceFieldProblem],
      description: '每个字段的问题。 / Each field\'s problem.',
      resolve: (e) => e.problems.map((p) => ({ field: p.field, message: p.message })),
    }),
  }),
});
