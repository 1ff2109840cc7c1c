import { InvalidInputError } from '../../../common/index.ts';
import type { LicenceType } from '../../../signer/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { readJsonObject, writeOutputFile } from '../files.ts';
import { withApp } from '../with-app.ts';

export const departmentAdd: Command = {
  name: 'department add',
  summary: 'add a department (idempotent for the same id, name and 统一社会信用代码)',
  usage: '--id ID --name 名称 --uscc 统一社会信用代码',
  options: { id: { type: 'string' }, name: { type: 'string' }, uscc: { type: 'string' } },
  async run(ctx) {
    const v = ctx.values as Record<string, string | undefined>;
    for (const flag of ['id', 'name', 'uscc']) if (!v[flag]) throw new UsageError(`--${flag} is required`);
    const d = await withApp(ctx, (app) => app.services.departments.ensure(OPERATOR, { id: v.id!, name: v.name!, uscc: v.uscc! }));
    ctx.stdout.write(`${d.id}  ${d.uscc}  ${d.name}\n`);
    return ExitCode.ok;
  },
};

export const departmentList: Command = {
  name: 'department list',
  summary: 'list departments',
  usage: '',
  async run(ctx) {
    const list = await withApp(ctx, (app) => app.services.departments.list());
    for (const d of list) ctx.stdout.write(`${d.id}  ${d.uscc}  ${d.name}\n`);
    if (list.length === 0) ctx.stdout.write('no departments\n');
    return ExitCode.ok;
  },
};

export const licenceTypeDefine: Command = {
  name: 'type define',
  summary: 'define or replace a licence type from JSON (schema, layout, validity) and name who issues it',
  usage: '--file TYPE.json [--issuer DEPARTMENT]...',
  options: { file: { type: 'string' }, issuer: { type: 'string', multiple: true } },
  async run(ctx) {
    const v = ctx.values as Record<string, string | string[] | undefined>;
    if (!v.file) throw new UsageError('--file is required');
    const type = readJsonObject(v.file as string, 'file') as unknown as LicenceType;
    const issuers = (v.issuer as string[] | undefined) ?? [];
    const stored = await withApp(ctx, (app) => app.services.licenceTypes.define(OPERATOR, type, issuers));
    ctx.stdout.write(`${stored.code}  ${stored.name}  issuers: ${issuers.join(', ') || '(unchanged)'}\n`);
    return ExitCode.ok;
  },
};

export const licenceTypeList: Command = {
  name: 'type list',
  summary: 'list licence types',
  usage: '',
  async run(ctx) {
    const list = await withApp(ctx, (app) => app.services.licenceTypes.list());
    for (const t of list) ctx.stdout.write(`${t.code}  ${t.name}\n`);
    if (list.length === 0) ctx.stdout.write('no licence types (zhengyin type define, or ZHENGYIN_DEMO=1 for the demo types)\n');
    return ExitCode.ok;
  },
};

export const licenceShow: Command = {
  name: 'licence show',
  summary: 'show a licence and its registry status',
  usage: 'IDENTIFIER [--out F.pdf]',
  options: { out: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const identifier = ctx.positionals[0]!;
    const out = ctx.values.out as string | undefined;
    const { licence, pdf } = await withApp(ctx, async (app) => ({
      licence: await app.services.licences.get(OPERATOR, identifier),
      pdf: out ? await app.services.licences.document(OPERATOR, identifier) : undefined,
    }));
    if (out && pdf) writeOutputFile(out, pdf);
    ctx.stdout.write(JSON.stringify(licence, null, 2) + '\n');
    return ExitCode.ok;
  },
};

export const licenceRevoke: Command = {
  name: 'licence revoke',
  summary: 'revoke a licence (注销/吊销); its status page says so at once and the ledger records it',
  usage: 'IDENTIFIER --reason TEXT',
  options: { reason: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const reason = ctx.values.reason as string | undefined;
    if (!reason) throw new UsageError('--reason is required');
    if (reason.length > 200) throw new InvalidInputError({ field: 'reason', message: 'reason: at most 200 characters' });
    const licence = await withApp(ctx, (app) => app.services.licences.revoke(OPERATOR, ctx.positionals[0]!, reason));
    ctx.stdout.write(`${licence.identifier} is ${licence.status}\n`);
    return ExitCode.ok;
  },
};
