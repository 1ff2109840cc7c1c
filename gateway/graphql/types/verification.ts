import type { CertificateInfo, SealReport, SignatureReport } from '../../../verifier/index.ts';
import type { LedgerAnchor, RegisteredSeal, SignatureRegistration, VerificationResult } from '../../services/verification/index.ts';
import { builder } from '../builder.ts';
import { PublicStatusRef } from './licence.ts';
import { SealState } from './seal.ts';

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
    UNREADABLE: { description: '不是可读的 PDF 或 OFD。 / Not a PDF or OFD that can be read.' },
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

const OfdSeal = builder.objectRef<SealReport>('OfdSeal').implement({
  description: 'OFD 签章所用的电子印章 (GB/T 38540 / GM/T 0031 SES_Seal)。 / The electronic seal an OFD signature applies (GB/T 38540 / GM/T 0031 SES_Seal).',
  fields: (t) => ({
    format: t.exposeString('format', { description: '印章格式与版本。 / Seal format and version.' }),
    esId: t.exposeString('esId', { nullable: true, description: '电子印章标识。 / Seal id (esID).' }),
    name: t.exposeString('name', { nullable: true, description: '印章名称。 / Seal name.' }),
    validStart: t.exposeString('validStart', { nullable: true, description: '印章有效期起始。 / Seal valid from.' }),
    validEnd: t.exposeString('validEnd', { nullable: true, description: '印章有效期截止。 / Seal valid until.' }),
    maker: t.field({ type: Certificate, nullable: true, description: '制章人证书。 / The seal maker\'s certificate.', resolve: (s) => s.maker }),
    makerSignatureValid: t.exposeBoolean('makerSignatureValid', { description: '制章人对印章信息的签名验证通过。 / The maker\'s signature over the seal information verifies.' }),
    signerBound: t.exposeBoolean('signerBound', { description: '签名证书是印章所列的证书之一。 / The signer\'s certificate is among those the seal lists.' }),
    timeStamped: t.exposeBoolean('timeStamped', { description: '签章带时间戳。 / The signature carries a time-stamp.' }),
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
    seal: t.field({ type: OfdSeal, nullable: true, description: 'OFD: 签章所用的电子印章; PDF 为空。 / OFD: the electronic seal the signature applies; null for PDF.', resolve: (s) => s.seal }),
  }),
});

const RegisteredSealRef = builder.objectRef<RegisteredSeal>('RegisteredSeal').implement({
  description: '签名证书绑定的本系统登记印章 (GB/T 38540) 及其当前状态。 / The seal of our registry (GB/T 38540) bound to a signer\'s certificate, and its state now.',
  fields: (t) => ({
    id: t.exposeString('id', { description: '电子印章标识。 / Seal id (esID).' }),
    name: t.exposeString('name', { description: '印章名称。 / Seal name.' }),
    departmentId: t.exposeString('departmentId', { description: '用章部门。 / The department that owns it.' }),
    state: t.field({ type: SealState, description: '当前状态 (不是签章时的状态)。 / Its state now, not when it signed.', resolve: (s) => s.state }),
    stateChangedAt: t.expose('stateChangedAt', { type: 'DateTime', description: '状态变更时刻。 / When its state last changed.' }),
    validFrom: t.expose('validFrom', { type: 'DateTime', description: '有效期起始。 / Valid from.' }),
    validTo: t.expose('validTo', { type: 'DateTime', description: '有效期截止。 / Valid until.' }),
  }),
});

const SignatureRegistrationRef = builder.objectRef<SignatureRegistration>('SignatureRegistration').implement({
  description: '本系统对某个签名的签名者所知 (与 signatures 同序)。 / What our registry knows of one signature\'s signer (same order as signatures).',
  fields: (t) => ({
    fieldName: t.exposeString('fieldName', { nullable: true, description: '签名域名称。 / Signature field name.' }),
    knownCertificate: t.exposeBoolean('knownCertificate', { description: '签名证书由本系统签发或导入。 / Our PKI issued or imported the signer\'s certificate.' }),
    certificateRevokedAt: t.expose('certificateRevokedAt', { type: 'DateTime', nullable: true, description: '本系统吊销该证书的时刻; 未吊销为空。 / When our PKI revoked that certificate; null when it has not.' }),
    seal: t.field({ type: RegisteredSealRef, nullable: true, description: '绑定该证书的登记印章。 / The registered seal bound to that certificate.', resolve: (r) => r.seal }),
  }),
});

const LedgerAnchorRef = builder.objectRef<LedgerAnchor>('VerificationLedgerAnchor').implement({
  description: '账本上记有该文件 SHA-256 的存证记录。 / A ledger record that holds the file\'s SHA-256.',
  fields: (t) => ({
    evidenceId: t.exposeString('evidenceId', { description: '存证标识。 / Evidence id.' }),
    type: t.exposeString('type', { description: '存证类型。 / Evidence type.' }),
    transactionId: t.exposeString('transactionId', { description: '交易标识。 / Transaction id.' }),
    blockNumber: t.exposeString('blockNumber', { nullable: true, description: '区块号。 / Block number.' }),
    recordedAt: t.exposeString('recordedAt', { description: '记录时刻。 / When it was recorded.' }),
    proofValid: t.exposeBoolean('proofValid', { nullable: true, description: '区块包含证明通过; 账本无法证明时为空 (Fabric)。 / The block-inclusion proof checked out; null where the ledger cannot prove (Fabric).' }),
  }),
});

const VerificationReportRef = builder.objectRef<VerificationResult>('VerificationReport').implement({
  description: 'PDF 或 OFD 验证报告; 若为本系统颁发的证照, 附登记状态、印章登记与账本存证 (与 /verify 页面相同)。 / A PDF or OFD verification report, with the registry status, seal registrations and ledger records when the file is one of ours (as the /verify page shows).',
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
      description: '若为本系统颁发的证照, 其公开登记状态。 / The registry status, when the file is a licence issued here.',
      resolve: (v) => v.licence,
    }),
    statusUrl: t.string({
      nullable: true,
      description: '若为本系统颁发的证照, 其公开状态页地址。 / The licence\'s public status page, when the file is a licence issued here.',
      resolve: (v) => v.licence?.statusUrl ?? null,
    }),
    registrations: t.field({
      type: [SignatureRegistrationRef],
      description: '每个签名的签名者在本系统的登记 (与 signatures 同序)。 / What our registry knows of each signature\'s signer (same order as signatures).',
      resolve: (v) => [...v.signatures],
    }),
    ledger: t.field({
      type: [LedgerAnchorRef],
      nullable: true,
      description: '账本上记有该文件哈希的记录; 账本无法查询时为空。 / Ledger records holding the file\'s hash; null when the ledger could not be asked.',
      resolve: (v) => (v.ledger ? [...v.ledger] : null),
    }),
    report: t.field({ type: 'JSONObject', description: '完整验证报告 (JSON)。 / The whole verifier report, as JSON.', resolve: (v) => v.report as unknown as Record<string, unknown> }),
  }),
});

builder.mutationFields((t) => ({
  verifyPdf: t.field({
    type: VerificationReportRef,
    description:
      '验证上传的 PDF 或 OFD 的每个签名与电子印章 (GraphQL multipart 上传, 请求头需带 x-zhengyin-csrf); 按文件内容识别格式; 不保存文件。任何人可用。 / Verifies every signature and seal of an uploaded PDF or OFD (GraphQL multipart upload; send the x-zhengyin-csrf header); the format is told by the bytes; nothing is kept. Anyone may call it.',
    args: { file: t.arg({ type: 'Upload', required: true, description: 'PDF 或 OFD 文件。 / The PDF or OFD file.' }) },
    // The same path as POST /verify: the service verifies (on the CPU pool) and enriches.
    resolve: async (_root, { file }, ctx) => ctx.services.verification.verify(ctx.caller.actor, new Uint8Array(await file.arrayBuffer())),
  }),
}));
