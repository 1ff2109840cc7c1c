import type { OperatorIssueRequest } from '../../operator/protocol.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { OutputAfterCommitError } from '../errors.ts';
import { readJsonObject } from '../input.ts';
import { claimOutputFile } from '../output.ts';
import { issueThroughService } from '../running-service.ts';
import { actorName, actorOption, withApp } from '../with-app.ts';

export const issue: Command = {
  name: 'issue',
  summary: 'issue a licence as a signed PDF (PAdES B-LTA, the department seal; --demo: a 营业执照 with a joint seal)',
  usage: '--type T --data F.json --department D --out F.pdf [--joint-seal SEAL]... [--reserve-seals N] [--number N] [--issue-date YYYY-MM-DD] [--actor NAME] | --demo --out F.pdf',
  options: {
    type: { type: 'string' },
    data: { type: 'string' },
    department: { type: 'string' },
    out: { type: 'string' },
    'joint-seal': { type: 'string', multiple: true },
    // Empty signature fields (Seal2, Seal3, …) for joint seals applied later with `seal apply --field`.
    'reserve-seals': { type: 'string' },
    number: { type: 'string' },
    'issue-date': { type: 'string' },
    demo: { type: 'boolean' },
    ...actorOption,
  },
  async run(ctx) {
    const v = ctx.values as Record<string, string | string[] | boolean | undefined>;
    const out = v.out as string | undefined;
    if (!out) throw new UsageError('--out is required');
    if (!v.demo) {
      for (const flag of ['type', 'data', 'department']) if (!v[flag]) throw new UsageError(`--${flag} is required (or --demo)`);
    }
    const face = v.demo ? undefined : readJsonObject(v.data as string, 'data');
    const request: OperatorIssueRequest = v.demo
      ? { demo: true }
      : {
          type: v.type as string,
          departmentId: v.department as string,
          face: face!,
          ...(v.number ? { number: v.number as string } : {}),
          ...(v['issue-date'] ? { issueDate: v['issue-date'] as string } : {}),
          ...(v['joint-seal'] ? { jointSealIds: v['joint-seal'] as string[] } : {}),
          ...(v['reserve-seals'] ? { reservedSeals: Number(v['reserve-seals']) } : {}),
        };
    // Claimed before anything is stored: a folder that cannot take the PDF fails here.
    const target = claimOutputFile(out);
    const issuing = (async () => {
      // A running `zhengyin start` on this data folder does it with its keys warm; else this process does.
      const handed = await issueThroughService(ctx, { ...request, actorName: actorName(ctx) });
      if (handed) return handed;
      const { issueForOperator } = await import('../../operator/issue-licence.ts');
      return withApp(ctx, (app) => issueForOperator(app, request), { action: 'licence.issue', targetsOf: (r) => [r.licence.identifier] });
    })();
    const { licence, pdf } = await issuing.catch((e: unknown) => {
      target.discard();
      throw e;
    });
    try {
      target.write(pdf);
    } catch (cause) {
      throw new OutputAfterCommitError({ identifier: licence.identifier, file: out, cause });
    }
    ctx.stdout.write(
      [
        `issued ${licence.typeName} for ${licence.holder}`,
        `  identifier  ${licence.identifier}`,
        `  status      ${licence.statusUrl}`,
        `  sha-256     ${licence.documentSha256}`,
        `  written to  ${out} (${pdf.length} bytes)`,
        '',
      ].join('\n'),
    );
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [issue];
