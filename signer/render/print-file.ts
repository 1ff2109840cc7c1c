import type { LicenceType } from '../licence/licence-type.ts';
import type { LicenceMetadata } from '../licence/metadata.ts';
import { renderLicence } from './render-licence.ts';

export interface PrintFileOptions {
  /** The licence's public status URL, for the QR code (the same as in its signed PDF). */
  readonly statusUrl: string;
  /** Creation time for the Info dictionary and XMP. */
  readonly createdAt?: Date;
}

/**
 * The print file of a paper licence (纸质证照): the same identifier, number, face data,
 * issuer, date and QR code as the electronic licence, at the places its type's layout
 * gives, for printing onto the pre-printed paper form. The form carries the border, the
 * title and the field labels, so none of them is drawn; nothing is signed (the paper
 * licence gets its seal in ink). The licence metadata travels inside as in the licence.
 *
 * Equivalent to `renderLicence(type, licence, { ...options, paperForm: true }).pdf`.
 *
 * @throws as {@link renderLicence}.
 */
export async function renderPrintFile(type: LicenceType, licence: LicenceMetadata, options: Readonly<PrintFileOptions>): Promise<Uint8Array> {
  return (await renderLicence(type, licence, { ...options, paperForm: true })).pdf;
}
