import type { CatalogueKind } from '../../services/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { printJson } from '../output.ts';
import { withApp } from '../with-app.ts';

const KINDS: readonly CatalogueKind[] = ['authority', 'licence-type', 'material', 'proof', 'matter', 'bundle', 'grant'];

export const catalogueLoad: Command = {
  name: 'catalogue load',
  summary: 'validate a catalogue folder (schemas, references) and load it, all or nothing; changed items get new versions',
  usage: 'FOLDER [--check]',
  options: { check: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const folder = ctx.positionals[0]!;
    if (ctx.values.check) {
      const parsed = await withApp(ctx, (app) => app.services.catalogue.check(folder));
      ctx.stdout.write(`${folder} is a valid catalogue: ${KINDS.map((k) => `${parsed[k].length} ${k}`).join(', ')}\n`);
      return ExitCode.ok;
    }
    const r = await withApp(ctx, (app) => app.services.catalogue.load(OPERATOR, folder));
    for (const [label, list] of [['added', r.added], ['changed', r.changed], ['withdrawn', r.withdrawn]] as const) {
      for (const i of list) ctx.stdout.write(`${label.padEnd(9)}  ${i.kind}  ${i.key}  v${i.version}\n`);
    }
    ctx.stdout.write(
      `loaded ${folder}: ${r.added.length} added, ${r.changed.length} changed, ${r.unchanged} unchanged, ${r.withdrawn.length} withdrawn; grants ${r.grants.granted} granted, ${r.grants.revoked} revoked\n`,
    );
    return ExitCode.ok;
  },
};

export const catalogueShow: Command = {
  name: 'catalogue show',
  summary: 'list the loaded catalogue: the current version of each item',
  usage: '[--kind authority|licence-type|material|proof|matter|bundle|grant] [--withdrawn] [--json]',
  options: { kind: { type: 'string' }, withdrawn: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(ctx) {
    const kind = ctx.values.kind as CatalogueKind | undefined;
    if (kind !== undefined && !KINDS.includes(kind)) throw new UsageError(`--kind: one of ${KINDS.join(', ')}`);
    const items = await withApp(ctx, (app) => app.services.catalogue.list({ ...(kind ? { kind } : {}), withdrawn: ctx.values.withdrawn === true }));
    if (ctx.values.json) {
      printJson(ctx, items);
      return ExitCode.ok;
    }
    for (const i of items) {
      const name = (i.content as { name?: string }).name ?? '';
      ctx.stdout.write(`${i.kind.padEnd(12)}  ${i.key}  v${i.version}${i.withdrawn ? ' (withdrawn)' : ''}  ${name}\n`);
    }
    if (items.length === 0) ctx.stdout.write('the catalogue is empty (zhengyin catalogue load FOLDER)\n');
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [catalogueLoad, catalogueShow];
