import { ISSUE_FORMATS, type IssueFormat, type OperatorIssueRequest } from '../../operator/protocol.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { OutputAfterCommitError } from '../errors.ts';
import { readJsonObject } from '../input.ts';
import { claimOutputFile } from '../output.ts';
import { issueThroughService } from '../running-service.ts';
import { actorName, actorOption, withApp } from '../with-app.ts';

/**
 * Where `--out` puts each format: with `--format both` the PDF goes to `--out` and the OFD
 * beside it (the same name with .ofd for .pdf); with `--format ofd` the OFD goes to `--out`.
 */
export function outputFilesOf(out: string, format: IssueFormat): { pdf?: string; ofd?: string } {
  if (format === 'pdf') return { pdf: out };
  if (format === 'ofd') return { ofd: out };
  return { pdf: out, ofd: /\.pdf$/i.test(out) ? out.replace(/\.pdf$/i, '.ofd') : `${out}.ofd` };
}

export const issue: Command = {
  name: 'issue',
  summary: 'issue a licence as a signed PDF (PAdES B-LTA, the department seal), an SM2-sealed OFD (GB/T 38540) or both (--demo: a 营业执照 with a joint seal)',
  usage:
    '--type T --data F.json --department D --out F.pdf [--format pdf|ofd|both] [--joint-seal SEAL]... [--reserve-seals N] [--number N] [--issue-date YYYY-MM-DD] [--actor NAME] | --demo --out F.pdf   ' +
    '(--format ofd: the OFD goes to --out; both: the PDF to --out and the OFD beside it, F.ofd; OFD needs the department\'s SM2 seal: seal create --algorithm sm2)',
  options: {
    type: { type: 'string' },
    data: { type: 'string' },
    department: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
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
    const format = (v.format ?? 'pdf') as IssueFormat;
    if (!ISSUE_FORMATS.includes(format)) throw new UsageError(`--format: one of ${ISSUE_FORMATS.join(', ')}`);
    if (v.demo && format !== 'pdf') throw new UsageError('--demo issues the demo licence as PDF; leave out --format');
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
          ...(format !== 'pdf' ? { format } : {}),
        };
    // Claimed before anything is stored: a folder that cannot take a file fails here.
    const files = outputFilesOf(out, format);
    const targets = Object.entries(files).map(([kind, file]) => ({ kind: kind as 'pdf' | 'ofd', file, target: claimOutputFile(file) }));
    const issuing = (async () => {
      // A running `zhengyin start` on this data folder does it with its keys warm; else this process does.
      const handed = await issueThroughService(ctx, { ...request, actorName: actorName(ctx) });
      if (handed) return handed;
      const { issueForOperator } = await import('../../operator/issue-licence.ts');
      return withApp(ctx, (app) => issueForOperator(app, request), { action: 'licence.issue', targetsOf: (r) => [r.licence.identifier] });
    })();
    const issued = await issuing.catch((e: unknown) => {
      for (const t of targets) t.target.discard();
      throw e;
    });
    const { licence } = issued;
    const written: string[] = [];
    for (const { kind, file, target } of targets) {
      const bytes = issued[kind];
      try {
        // A service that does not know --format answers with the PDF alone.
        if (!bytes) throw new Error(`the service returned no ${kind.toUpperCase()}`);
        target.write(bytes);
      } catch (cause) {
        for (const t of targets) t.target.discard();
        throw new OutputAfterCommitError({ identifier: licence.identifier, file, cause });
      }
      written.push(`  written to  ${file} (${kind.toUpperCase()}, ${bytes.length} bytes)`);
    }
    ctx.stdout.write(
      [
        `issued ${licence.typeName} for ${licence.holder}`,
        `  identifier  ${licence.identifier}`,
        `  status      ${licence.statusUrl}`,
        `  sha-256     ${licence.documentSha256} (PDF)`,
        ...(licence.ofdSha256 ? [`  sha-256     ${licence.ofdSha256} (OFD)`] : []),
        ...written,
        '',
      ].join('\n'),
    );
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [issue];
