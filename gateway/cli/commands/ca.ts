import { NotFoundError } from '../../../common/index.ts';
import { OPERATOR } from '../../services/actor.ts';
import { ExitCode, stringOption, UsageError, type Command } from '../command.ts';
import { readInputFile } from '../input.ts';
import { writeOutput } from '../output.ts';
import { actorOption, withApp } from '../with-app.ts';

export const caExportRoot: Command = {
  name: 'ca export-root',
  summary: 'print the root CA certificate that relying parties trust (PEM; DER with --der); --sm2: the SM2 root',
  usage: '[--sm2] [--der] [--out FILE]   (--sm2 makes the SM2 root if there is none yet)',
  options: { sm2: { type: 'boolean' }, der: { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx) {
    const der = await withApp(ctx, (app) => (ctx.values.sm2 ? app.services.pki.sm2RootCertificate() : app.services.pki.rootCertificate()));
    const { toPem } = await import('../../../signer/index.ts');
    writeOutput(ctx, ctx.values.der ? der : toPem(der, 'CERTIFICATE'), stringOption(ctx, 'out'));
    return ExitCode.ok;
  },
};

export const caCrl: Command = {
  name: 'ca crl',
  summary: "print a CA's current CRL: the root's, or a department CA's (PEM; DER with --der); --sm2: of the SM2 hierarchy",
  usage: '[--ca DEPARTMENT_ID|root] [--sm2] [--der] [--out FILE]',
  options: { ca: { type: 'string' }, sm2: { type: 'boolean' }, der: { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx) {
    const which = stringOption(ctx, 'ca') ?? 'root';
    const sm2 = ctx.values.sm2 === true;
    const crl = await withApp(ctx, async (app) => {
      const { pki } = app.services;
      if (which === 'root') return pki.currentCrl(sm2 ? await pki.sm2RootCertificateId() : pki.rootCertificateId);
      const caId = await pki.findDepartmentCa(which, sm2 ? 'SM2' : undefined);
      if (!caId) throw new NotFoundError({ entity: sm2 ? 'SM2 department CA of' : 'department CA of', id: which });
      return pki.currentCrl(caId);
    });
    const { toPem } = await import('../../../signer/index.ts');
    writeOutput(ctx, ctx.values.der ? crl.der : toPem(crl.der, 'X509 CRL'), stringOption(ctx, 'out'));
    return ExitCode.ok;
  },
};

export const caImportP12: Command = {
  name: 'ca import-p12',
  summary: "import a department's existing signing key and certificate from a PKCS#12 file (RSA or EC)",
  usage: '--department DEPARTMENT_ID --file F.p12 (--password-env VAR | --password-file FILE)',
  options: {
    department: { type: 'string' },
    file: { type: 'string' },
    // The password never goes on the command line, where shell history and ps would show it.
    'password-env': { type: 'string' },
    'password-file': { type: 'string' },
    ...actorOption,
  },
  async run(ctx) {
    const departmentArg = stringOption(ctx, 'department');
    const file = stringOption(ctx, 'file');
    if (!departmentArg || !file) throw new UsageError('--department and --file are required');
    const password = readPassword(stringOption(ctx, 'password-env'), stringOption(ctx, 'password-file'));
    const bytes = readInputFile(file, { field: 'file' });
    const { id, subject } = await withApp(ctx, async (app) => {
      const certificateId = await app.services.pki.importPkcs12(OPERATOR, departmentArg, bytes, password);
      return { id: certificateId, subject: (await app.services.pki.getCertificate(certificateId)).subject };
    }, { action: 'ca.import-p12', targets: [departmentArg], targetsOf: (r) => [r.id] });
    ctx.stdout.write(`imported certificate ${id}\n  subject ${subject}\n`);
    return ExitCode.ok;
  },
};

function readPassword(envName: string | undefined, passwordFile: string | undefined): string {
  if ((envName === undefined) === (passwordFile === undefined)) throw new UsageError('give exactly one of --password-env VAR or --password-file FILE');
  if (envName !== undefined) {
    const value = process.env[envName];
    if (value === undefined) throw new UsageError(`environment variable ${envName} is not set`);
    return value;
  }
  // The first line of the file, as `openssl pkcs12 -passin file:` reads it.
  return readInputFile(passwordFile!, { field: 'password-file', maxBytes: 64 * 1024 }).toString('utf8').split(/\r?\n/)[0]!;
}

export const commands: readonly Command[] = [caExportRoot, caCrl, caImportP12];
