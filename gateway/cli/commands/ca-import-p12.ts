import { ExitCode, UsageError, type Command } from '../command.ts';
import { readInputFile, stringOption } from '../output.ts';
import { withApp } from '../with-app.ts';
import { OPERATOR } from '../../services/actor.ts';

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
  },
  async run(ctx) {
    const departmentArg = stringOption(ctx, 'department');
    const file = stringOption(ctx, 'file');
    if (!departmentArg || !file) throw new UsageError('--department and --file are required');
    const password = readPassword(stringOption(ctx, 'password-env'), stringOption(ctx, 'password-file'));
    const bytes = readInputFile('file', file);
    const { id, subject } = await withApp(ctx, async (app) => {
      const certificateId = await app.services.pki.importPkcs12(OPERATOR, departmentArg, bytes, password);
      return { id: certificateId, subject: (await app.services.pki.getCertificate(certificateId)).subject };
    });
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
  return readInputFile('password-file', passwordFile!).toString('utf8').split(/\r?\n/)[0]!;
}
