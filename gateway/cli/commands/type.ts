import type { LicenceType } from '../../../signer/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { readJsonObject } from '../input.ts';
import { writeOutput } from '../output.ts';
import { actorOption, withApp } from '../with-app.ts';

export const licenceTypeDefine: Command = {
  name: 'type define',
  summary: 'define or replace a licence type from JSON (schema, layout, validity) and name who issues it',
  usage: '--file TYPE.json [--issuer DEPARTMENT]... [--actor NAME]',
  options: { file: { type: 'string' }, issuer: { type: 'string', multiple: true }, ...actorOption },
  async run(ctx) {
    const v = ctx.values as Record<string, string | string[] | undefined>;
    if (!v.file) throw new UsageError('--file is required');
    const type = readJsonObject(v.file as string, 'file') as unknown as LicenceType;
    const issuers = (v.issuer as string[] | undefined) ?? [];
    const stored = await withApp(ctx, (app) => app.services.licenceTypes.define(OPERATOR, type, issuers), {
      action: 'type.define',
      targets: [String(type.code), ...issuers],
    });
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

export const licenceTypeExport: Command = {
  name: 'type export',
  summary: 'write a licence type out as a catalogue file (licence-types/*.json) that `catalogue load` accepts',
  usage: 'CODE|NAME [--out FILE.json]',
  options: { out: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const json = await withApp(ctx, (app) => app.services.catalogue.exportLicenceType(ctx.positionals[0]!));
    writeOutput(ctx, JSON.stringify(json, null, 2) + '\n', ctx.values.out as string | undefined);
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [licenceTypeDefine, licenceTypeList, licenceTypeExport];
