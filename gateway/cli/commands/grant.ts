import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, stringOption, UsageError, type Command } from '../command.ts';
import { printJson } from '../output.ts';
import { withApp } from '../with-app.ts';

export const grantAdd: Command = {
  name: 'grant add',
  summary: 'let a department receive a licence type or material kind from others, for one of its matters',
  usage: '--department D --matter 事项编码 (--licence-type CODE | --material KIND)',
  options: { department: { type: 'string' }, matter: { type: 'string' }, 'licence-type': { type: 'string' }, material: { type: 'string' } },
  async run(ctx) {
    const departmentId = stringOption(ctx, 'department');
    const matter = stringOption(ctx, 'matter');
    const type = stringOption(ctx, 'licence-type');
    const material = stringOption(ctx, 'material');
    if (!departmentId || !matter) throw new UsageError('--department and --matter are required');
    if ((type === undefined) === (material === undefined)) throw new UsageError('give exactly one of --licence-type and --material');
    const grant = await withApp(ctx, (app) =>
      app.services.grants.add(OPERATOR, { departmentId, matter, ...(type ? { resourceKind: 'licence-type', resource: type } : { resourceKind: 'material', resource: material! }) }),
    );
    ctx.stdout.write(`${grant.id}  ${grant.departmentId}  ${grant.matter}  ${grant.resourceKind}  ${grant.resource}\n`);
    return ExitCode.ok;
  },
};

export const grantList: Command = {
  name: 'grant list',
  summary: 'list live grants (--revoked: and revoked ones), of one department or all',
  usage: '[--department D] [--revoked] [--json]',
  options: { department: { type: 'string' }, revoked: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(ctx) {
    const departmentId = stringOption(ctx, 'department');
    const grants = await withApp(ctx, (app) => app.services.grants.list(OPERATOR, { ...(departmentId ? { departmentId } : {}), revoked: ctx.values.revoked === true }));
    if (ctx.values.json) {
      printJson(ctx, grants);
      return ExitCode.ok;
    }
    for (const g of grants) {
      ctx.stdout.write(`${g.id}  ${g.departmentId}  ${g.matter}  ${g.resourceKind}  ${g.resource}  ${g.source}${g.revokedAt ? `  revoked ${g.revokedAt.toISOString()}` : ''}\n`);
    }
    if (grants.length === 0) ctx.stdout.write('no grants\n');
    return ExitCode.ok;
  },
};

export const grantRevoke: Command = {
  name: 'grant revoke',
  summary: 'revoke a grant by id (a catalogue grant returns at the next load unless grants.json drops it)',
  usage: 'ID',
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const grant = await withApp(ctx, (app) => app.services.grants.revoke(OPERATOR, ctx.positionals[0]!));
    ctx.stdout.write(`${grant.id} revoked\n`);
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [grantAdd, grantList, grantRevoke];
