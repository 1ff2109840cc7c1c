import { IncrementalWriter } from '../pdf/incremental-writer.ts';
import { DIGESTS, hash } from '../cms/algorithms.ts';
import type { DigestAlgorithm, TimestampAuthority } from '../types.ts';
import { InvalidSignOptionError } from './errors.ts';
import { fillContents, signatureDictionary, writeWithPlaceholders } from './signature-dictionary.ts';
import { addSignatureField, checkFieldName, freeFieldName } from './signature-field.ts';
import { requestTimestamp, timestampTokenSize, TOKEN_SLACK } from './timestamp.ts';

/** Options of {@link addDocumentTimestamp}. */
export interface DocumentTimestampOptions {
  /** RFC 3161 TSA. Required; there is no default TSA. */
  readonly tsa: TimestampAuthority;
  /** @default 'SHA-256' */
  readonly digest?: DigestAlgorithm | undefined;
  /** @default the first free 'DocTimeStampN' */
  readonly field?: string | undefined;
}


/**
 * Appends a document time-stamp revision (PAdES B-LTA, ETSI EN 319 142-1 §5.4.3; ISO
 * 32000-2 §12.8.5): an invisible field whose /DocTimeStamp dictionary, /SubFilter
 * ETSI.RFC3161, holds a TimeStampToken over the hash of its /ByteRange.
 *
 * The DSS should already hold validation data for every earlier signature; this function
 * fetches none (see {@link addValidationData}).
 * @param pdf - A PDF, normally one whose signatures are B-LT.
 * @returns `pdf` followed by exactly one incremental revision.
 * @throws The TSA's `SignerError`, or {@link TimestampError} for a foreign failure or a token over another imprint.
 * @example
 * const lta = await addDocumentTimestamp(lt, { tsa });
 */
export async function addDocumentTimestamp(pdf: Uint8Array, options: DocumentTimestampOptions): Promise<Uint8Array> {
  const digest = options.digest ?? 'SHA-256';
  if (!(digest in DIGESTS)) throw new InvalidSignOptionError({ field: 'digest', message: `${String(digest)} is not SHA-256, SHA-384 or SHA-512` });
  const w = IncrementalWriter.from(pdf);
  if (options.field !== undefined) checkFieldName(w, options.field);
  const fieldName = options.field ?? freeFieldName(w, 'DocTimeStamp');
  const contentsLength = (await timestampTokenSize(options.tsa, digest)) + TOKEN_SLACK;
  const template = signatureDictionary(w.context, { kind: 'timestamp', contentsLength });
  const sigRef = w.add(template.object);
  addSignatureField(w, fieldName, sigRef, { page: 0 });
  const { bytes, byteRange, covered } = writeWithPlaceholders(w, sigRef, template);
  const token = await requestTimestamp(options.tsa, hash(digest, ...covered), digest);
  fillContents(bytes, byteRange[1], contentsLength, token);
  return bytes;
}
