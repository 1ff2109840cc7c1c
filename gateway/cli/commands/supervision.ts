import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, stringOption, type Command } from '../command.ts';
import { printJson } from '../output.ts';
import { withApp } from '../with-app.ts';

export const supervision: Command = {
  name: 'supervision',
  summary: '电子监察: per department and matter, applications opened, finished and overdue, materials reused vs uploaded, shared accesses made and refused',
  usage: '[--department D] [--json]',
  options: { department: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const departmentId = stringOption(ctx, 'department');
    const rows = await withApp(ctx, (app) => app.services.supervision.report(OPERATOR, departmentId ? { departmentId } : {}));
    if (ctx.values.json) {
      printJson(ctx, rows);
      return ExitCode.ok;
    }
    if (rows.length === 0) {
      ctx.stdout.write('no applications and no shared accesses yet\n');
      return ExitCode.ok;
    }
    const header = ['department', 'matter', 'opened', 'finished', 'overdue', 'reused', 'uploaded', 'accesses', 'refused'];
    const lines = rows.map((r) => [r.departmentId, r.matter, r.opened, r.finished, r.overdue, r.materialsReused, r.materialsUploaded, r.accessesMade, r.accessesRefused].map(String));
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    for (const l of [header, ...lines]) ctx.stdout.write(l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') + '\n');
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [supervision];
