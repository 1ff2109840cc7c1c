import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { actorOption, withApp } from '../with-app.ts';

export const departmentAdd: Command = {
  name: 'department add',
  summary: 'add a department (idempotent for the same id, name and 统一社会信用代码)',
  usage: '--id ID --name 名称 --uscc 统一社会信用代码 [--actor NAME]',
  options: { id: { type: 'string' }, name: { type: 'string' }, uscc: { type: 'string' }, ...actorOption },
  async run(ctx) {
    const v = ctx.values as Record<string, string | undefined>;
    for (const flag of ['id', 'name', 'uscc']) if (!v[flag]) throw new UsageError(`--${flag} is required`);
    const d = await withApp(ctx, (app) => app.services.departments.ensure(OPERATOR, { id: v.id!, name: v.name!, uscc: v.uscc! }), {
      action: 'department.add',
      targets: [v.id!],
    });
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

export const commands: readonly Command[] = [departmentAdd, departmentList];
