import { NotFoundError } from '../../../common/index.ts';
import { toPem } from '../../../signer/index.ts';
import { ExitCode, type Command } from '../command.ts';
import { stringOption, writeOutput } from '../output.ts';
import { withApp } from '../with-app.ts';

export const caCrl: Command = {
  name: 'ca crl',
  summary: "print a CA's current CRL: the root's, or a department CA's (PEM; DER with --der)",
  usage: '[--ca DEPARTMENT_ID|root] [--der] [--out FILE]',
  options: { ca: { type: 'string' }, der: { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx) {
    const which = stringOption(ctx, 'ca') ?? 'root';
    const crl = await withApp(ctx, async (app) => {
      const { pki } = app.services;
      if (which === 'root') return pki.currentCrl(pki.rootCertificateId);
      const caId = await pki.findDepartmentCa(which);
      if (!caId) throw new NotFoundError({ entity: 'department CA of', id: which });
      return pki.currentCrl(caId);
    });
    writeOutput(ctx, ctx.values.der ? crl.der : toPem(crl.der, 'X509 CRL'), stringOption(ctx, 'out'));
    return ExitCode.ok;
  },
};
