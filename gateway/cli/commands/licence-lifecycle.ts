import type { App } from '../../app.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { OutputAfterCommitError } from '../errors.ts';
import { readJsonObject } from '../input.ts';
import { claimOutputFile } from '../output.ts';
import { actorOption, withApp } from '../with-app.ts';

// 变更, 暂扣/恢复, 延续 decisions and the paper print file, as the operator. Applying to
// renew is the holder's own act: it exists only in the GraphQL API (applyLicenceRenewal).

const requiredReason = (ctx: CommandContext): string => {
  const reason = stringOption(ctx, 'reason');
  if (!reason) throw new UsageError('--reason is required');
  return reason;
};

export const licenceChange: Command = {
  name: 'licence change',
  summary: 'change a licence (变更): sign its next version from new face data; the old one is superseded',
  usage: 'IDENTIFIER --data F.json --reason TEXT --out F.pdf [--number N] [--issue-date YYYY-MM-DD] [--actor NAME]',
  options: { data: { type: 'string' }, reason: { type: 'string' }, out: { type: 'string' }, number: { type: 'string' }, 'issue-date': { type: 'string' }, ...actorOption },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const identifier = ctx.positionals[0]!;
    const data = stringOption(ctx, 'data');
    const out = stringOption(ctx, 'out');
    if (!data) throw new UsageError('--data is required');
    if (!out) throw new UsageError('--out is required');
    const reason = requiredReason(ctx);
    const face = readJsonObject(data, 'data');
    const number = stringOption(ctx, 'number');
    const issueDate = stringOption(ctx, 'issue-date');
    const target = claimOutputFile(out);
    const changed = await withApp(
      ctx,
      (app) => app.services.licences.changes.change(OPERATOR, identifier, { face, reason, ...(number ? { number } : {}), ...(issueDate ? { issueDate } : {}) }),
      { action: 'licence.change', targets: [identifier], targetsOf: (r) => [r.identifier] },
    ).catch((e: unknown) => {
      target.discard();
      throw e;
    });
    try {
      target.write(changed.pdf);
    } catch (cause) {
      throw new OutputAfterCommitError({ identifier: changed.identifier, file: out, cause });
    }
    ctx.stdout.write(`${identifier} is superseded by ${changed.identifier}\n  written to  ${out} (${changed.pdf.length} bytes)\n`);
    return ExitCode.ok;
  },
};

const stateChange = (verb: 'suspend' | 'resume', summary: string): Command => ({
  name: `licence ${verb}`,
  summary,
  usage: 'IDENTIFIER --reason TEXT [--actor NAME]',
  options: { reason: { type: 'string' }, ...actorOption },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const identifier = ctx.positionals[0]!;
    const reason = requiredReason(ctx);
    const licence = await withApp(
      ctx,
      async (app) => {
        await app.services.licences.changes[verb](OPERATOR, identifier, reason);
        return app.services.licences.get(OPERATOR, identifier);
      },
      { action: `licence.${verb}`, targets: [identifier] },
    );
    ctx.stdout.write(`${licence.identifier} is ${licence.status}\n`);
    return ExitCode.ok;
  },
});

export const licenceSuspend = stateChange('suspend', 'suspend a licence (暂扣): it verifies and shows as suspended until resumed');
export const licenceResume = stateChange('resume', 'resume a suspended licence (恢复)');

export const licenceRenewal: Command = {
  name: 'licence renewal',
  summary: 'decide a pending renewal (延续): grant (optionally until another date) or refuse; show where it stands',
  usage: 'IDENTIFIER (--grant [--valid-until YYYY-MM-DD] | --refuse --reason TEXT | --show) [--actor NAME]',
  options: { grant: { type: 'boolean' }, refuse: { type: 'boolean' }, show: { type: 'boolean' }, reason: { type: 'string' }, 'valid-until': { type: 'string' }, ...actorOption },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const identifier = ctx.positionals[0]!;
    const chosen = (['grant', 'refuse', 'show'] as const).filter((f) => ctx.values[f]);
    if (chosen.length !== 1) throw new UsageError('say one of --grant, --refuse or --show');
    const validUntil = stringOption(ctx, 'valid-until');
    const reason = chosen[0] === 'refuse' ? requiredReason(ctx) : '';
    const licence = await withApp(
      ctx,
      async (app) => {
        const renewals = app.services.licences.renewals;
        if (chosen[0] === 'grant') await renewals.grant(OPERATOR, identifier, validUntil ? { validUntil } : {});
        if (chosen[0] === 'refuse') await renewals.refuse(OPERATOR, identifier, reason);
        return app.services.licences.get(OPERATOR, identifier);
      },
      chosen[0] === 'show' ? undefined : { action: `licence.renewal.${chosen[0]}`, targets: [identifier] },
    );
    const r = licence.renewal;
    ctx.stdout.write(
      r
        ? `${licence.identifier}: renewal ${r.state}${r.decidedAt ? ` on ${r.decidedAt.toISOString()}` : ` (decide by ${r.decideBy.toISOString()})`}; valid until ${licence.validUntil ?? '长期'}\n`
        : `${licence.identifier}: no renewal applied for; valid until ${licence.validUntil ?? '长期'}\n`,
    );
    return ExitCode.ok;
  },
};

/**
 * A command that writes one PDF of a licence to `--out` (claimed before the service opens,
 * discarded when fetching fails): the signed PDF again, or the paper print file.
 */
export const pdfCommand = (name: string, summary: string, fetch: (app: App, identifier: string) => Promise<Uint8Array>): Command => ({
  name,
  summary,
  usage: 'IDENTIFIER --out F.pdf',
  options: { out: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    if (!out) throw new UsageError('--out is required');
    const target = claimOutputFile(out);
    const pdf = await withApp(ctx, (app) => fetch(app, ctx.positionals[0]!)).catch((e: unknown) => {
      target.discard();
      throw e;
    });
    target.write(pdf);
    ctx.stdout.write(`written to ${out} (${pdf.length} bytes)\n`);
    return ExitCode.ok;
  },
});

export const licencePrint = pdfCommand(
  'licence print',
  'write the print file for the paper licence: the same identifier and face data, laid out for the pre-printed form',
  (app, identifier) => app.services.licences.printFile(OPERATOR, identifier),
);

export const lifecycleCommands: readonly Command[] = [licenceChange, licenceSuspend, licenceResume, licenceRenewal, licencePrint];
