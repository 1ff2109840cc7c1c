import { toPem } from '../../../signer/index.ts';
import { ExitCode, type Command } from '../command.ts';
import { stringOption, writeOutput } from '../output.ts';
import { withApp } from '../with-app.ts';

export const caExportRoot: Command = {
  name: 'ca export-root',
  summary: 'print the root CA certificate that relying parties trust (PEM; DER with --der)',
  usage: '[--der] [--out FILE]',
  options: { der: { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx) {
    const der = await withApp(ctx, (app) => app.services.pki.rootCertificate());
    writeOutput(ctx, ctx.values.der ? der : toPem(der, 'CERTIFICATE'), stringOption(ctx, 'out'));
    return ExitCode.ok;
  },
};
