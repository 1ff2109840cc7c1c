import type { CertificateInfo, SignatureReport, VerificationReport } from '../../../verifier/index.ts';
import { verifyPdf } from '../../../verifier/index.ts';
import type { PublicLicenceStatus } from '../../services/index.ts';
import { builder } from '../builder.ts';
import { PublicStatusRef } from './licence.ts';

const Indication = builder.enumType('Indication', {
  description: 'ETSI EN 319 102-1 主状态。 / ETSI EN 319 102-1 main status indication.',
  values: {
    TOTAL_PASSED: { description: '通过。 / Passed.' },
    TOTAL_FAILED: { description: '失败。 / Failed.' },
    INDETERMINATE: { description: '无法确定。 / Cannot be decided.' },
  } as const,
});

const DocumentVerdict = builder.enumType('DocumentVerdict', {
  description: '文档结论。 / The verdict on the whole document.',
  values: {
    VALID: { description: '所有签名通过, 签后仅有允许的修改。 / Every signature passed; only allowed changes after signing.' },
    INVALID: { description: '有签名失败或不允许的修改。 / A signature failed or a disallowed change was made.' },
    INDETERMINATE: { description: '有签名无法确定 (如不受信任)。 / A signature is indeterminate (e.g. untrusted).' },
    UNSIGNED: { description: '没有签名。 / No signature.' },
    UNREADABLE: { description: '不是可读的 PDF。 / Not a PDF that can be read.' },
  } as const,
});

const Certificate = builder.objectRef<CertificateInfo>('CertificateSummary').implement({
  description: '证书摘要 (RFC 5280)。 / A certificate in brief (RFC 5280).',
  fields: (t) => ({
    subject: t.exposeString('subject', { description: '主体 (RFC 4514)。 / Subject (RFC 4514).' }),
    issuer: t.exposeString('issuer', { description: '签发者 (RFC 4514)。 / Issuer (RFC 4514).' }),
    commonName: t.exposeString('commonName', { nullable: true, description: '通用名。 / Common name.' }),
    organization: t.exposeString('organization', { nullable: true, description: '单位。 / Organisation.' }),
    serialNumber: t.exposeString('serialNumber', { description: '序列号 (十六进制)。 / Serial number (hex).' }),
    sha256: t.expose('sha256', { type: 'Sha256', description: 'DER 的 SHA-256。 / SHA-256 of the DER.' }),
  }),
});

const SignatureVerdict = builder.objectRef<SignatureReport>('SignatureVerdict').implement({
  description: '一个签名或文档时间戳的验证结果。 / What the verifier found for one signature or document time-stamp.',
  fields: (t) => ({
    fieldName: t.exposeString('fieldName', { nullable: true, description: '签名域名称。 / Signature field name.' }),
    kind: t.exposeString('kind', { description: 'SIGNATURE 或 DOCUMENT_TIMESTAMP。 / SIGNATURE or DOCUMENT_TIMESTAMP.' }),
    indication: t.field({ type: Indication, description: '主状态。 / Main indication.', resolve: (s) => s.indication }),
    subIndication: t.exposeString('subIndication', { nullable: true, description: 'ETSI 子状态原文。 / ETSI sub-indication, verbatim.' }),
    intact: t.exposeBoolean('intact', { nullable: true, description: '签名范围内的字节未被改动; 摘要算法不支持时为空。 / The signed bytes are unchanged; null when the digest algorithm is not supported.' }),
    valid: t.exposeBoolean('valid', { description: '签名值用签名者公钥验证通过。 / The signature value verifies with the signer\'s key.' }),
    trusted: t.exposeBoolean('trusted', { description: '签名证书链到信任锚。 / The signer\'s certificate chains to a trust anchor.' }),
    signer: t.field({ type: Certificate, nullable: true, description: '签名证书。 / The signer\'s certificate.', resolve: (s) => s.signer }),
    claimedSigningTime: t.exposeString('claimedSigningTime', { nullable: true, description: '签名者声称的时间。 / The time the signer claims.' }),
    provenSigningTime: t.exposeString('provenSigningTime', { nullable: true, description: '时间戳证明的最早时间。 / The earliest time a time-stamp proves.' }),
    padesLevel: t.exposeString('padesLevel', { nullable: true, description: 'PAdES 基线级别。 / PAdES baseline level reached.' }),
    modification: t.exposeString('modification', { description: '签后修改程度 (NONE…OTHER)。 / What changed after signing (NONE…OTHER).' }),
    modificationAllowed: t.exposeBoolean('modificationAllowed', { description: '签后修改在允许范围内。 / The changes after signing are allowed.' }),
    changes: t.exposeStringList('changes', { description: '未被接受的签后修改。 / Each later change no rule accepted.' }),
    problems: t.exposeStringList('problems', { description: '结论的原因, 最重要的在前。 / Why the indication is what it is, most important first.' }),
  }),
});

interface Verified {
  readonly report: VerificationReport;
  readonly registry: PublicLicenceStatus | undefined;
}

const VerificationReportRef = builder.objectRef<Verified>('VerificationReport').implement({
  description: 'PDF 验证报告; 若为本系统颁发的证照, 附登记状态。 / A PDF verification report, with the registry status when the PDF is a licence issued here.',
  fields: (t) => ({
    verdict: t.field({ type: DocumentVerdict, description: '文档结论。 / The document verdict.', resolve: (v) => v.report.document.verdict }),
    sha256: t.field({ type: 'Sha256', description: '上传文件的 SHA-256。 / SHA-256 of the uploaded file.', resolve: (v) => v.report.document.sha256 }),
    size: t.int({ description: '文件字节数。 / File size in bytes.', resolve: (v) => v.report.document.size }),
    revisions: t.int({ description: '修订版本数。 / Number of revisions.', resolve: (v) => v.report.document.revisions }),
    problems: t.stringList({ description: '文档层面的问题。 / Document-level problems.', resolve: (v) => [...v.report.document.problems] }),
    signatures: t.field({ type: [SignatureVerdict], description: '每个签名与文档时间戳。 / Each signature and document time-stamp.', resolve: (v) => [...v.report.signatures] }),
    validationTime: t.field({ type: 'DateTime', description: '验证时间。 / The validation time.', resolve: (v) => new Date(v.report.validationTime) }),
    licence: t.field({
      type: PublicStatusRef,
      nullable: true,
      description: '若为本系统颁发的证照, 其公开登记状态。 / The registry status, when the PDF is a licence issued here.',
      resolve: (v) => v.registry ?? null,
    }),
    report: t.field({ type: 'JSONObject', description: '完整验证报告 (JSON)。 / The whole verifier report, as JSON.', resolve: (v) => v.report as unknown as Record<string, unknown> }),
  }),
});

builder.mutationFields((t) => ({
  verifyPdf: t.field({
    type: VerificationReportRef,
    description:
      '验证上传的 PDF 的每个签名 (GraphQL multipart 上传, 请求头需带 x-zhengyin-csrf); 不保存文件。任何人可用。 / Verifies every signature of an uploaded PDF (GraphQL multipart upload; send the x-zhengyin-csrf header); nothing is kept. Anyone may call it.',
    args: { file: t.arg({ type: 'Upload', required: true, description: 'PDF 文件。 / The PDF file.' }) },
    resolve: async (_root, { file }, ctx) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const report = await verifyPdf(bytes, { trust: [await ctx.services.pki.rootCertificate()] });
      const registry = await ctx.services.licences.findByDocumentHash(report.document.sha256);
      return { report, registry };
    },
  }),
}));
