import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { FormatUnavailableError } from '../errors.ts';

/** The formats a licence's annotated copy comes in: those of the stored original it carries. */
export type CopyFormat = 'pdf' | 'ofd';

/**
 * The stored signed original of a licence in `format`, which its annotated copy carries.
 * @throws {@link FormatUnavailableError} the licence was not issued in that format (OFD of a PDF-only licence).
 */
export async function storedOriginal(prisma: PrismaClient, licence: { readonly id: string; readonly identifier: string }, format: CopyFormat): Promise<Uint8Array> {
  const document = await prisma.licenceDocument.findUniqueOrThrow({ where: { licenceId: licence.id }, select: { pdf: format === 'pdf', ofd: format === 'ofd' } });
  const bytes = format === 'ofd' ? document.ofd : document.pdf;
  if (!bytes) throw new FormatUnavailableError({ identifier: licence.identifier, format });
  return bytes;
}
