import { renderPrintFile, type LicenceAttachment, type LicenceType, LICENCE_ATTACHMENT_NAME } from '../../../signer/index.ts';
import { readAttachments } from '../../../verifier/index.ts';

/** licence.json is a few kilobytes; anything near this is not ours. */
const MAX_METADATA_BYTES = 1 << 20;

/**
 * The print file for the paper licence of an issued version: its metadata is read back
 * from the `licence.json` inside the signed PDF, so the paper shows exactly the identifier,
 * number and face data that were signed, laid out for the type's pre-printed form.
 * @throws `Error` when the stored PDF carries no readable licence.json (never for a licence this service issued).
 */
export async function printFileOf(type: LicenceType, signedPdf: Uint8Array, p: { statusUrl: string; issuedAt: Date }): Promise<Uint8Array> {
  const { attachments } = readAttachments(signedPdf, { names: [LICENCE_ATTACHMENT_NAME], maxBytes: MAX_METADATA_BYTES });
  const file = attachments[0];
  if (!file) throw new Error('the stored licence PDF carries no licence.json');
  const { licence } = JSON.parse(new TextDecoder().decode(file.data)) as LicenceAttachment;
  return renderPrintFile(type, licence, { statusUrl: p.statusUrl, createdAt: p.issuedAt });
}
