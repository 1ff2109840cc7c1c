import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { sha256Hex } from '../../common/index.ts';
import type { FundEvidence, LicenceEvidence, ProjectEvidence, RealEstateEvidence } from '../../ledger/index.ts';

const chaincode = createRequire(import.meta.url)('../../chaincode/dist/codes.js') as { mod3736(payload: string): string };

/** A run-unique suffix, so that suites can run again on a persistent Fabric channel. */
export const RUN = randomBytes(4).toString('hex');

export const sha = (text: string): string => sha256Hex(text);

// The GB/T 36904 public test vector's codes (both pass their GB 32100-2015 check).
export const TYPE_CODE = '11100000000013338W032';
export const ISSUER_CODE = '11220000013544541J';

/** A valid GB/T 36904 licence identifier with the given serial and version. */
export function licenceIdentifier(serial: number, version = 1): string {
  const v = String(version).padStart(3, '0');
  return `1.2.156.3005.2.${TYPE_CODE}.${ISSUER_CODE}.${serial}.${v}.${chaincode.mod3736(TYPE_CODE + ISSUER_CODE + serial + v)}`;
}

let counter = Number.parseInt(RUN.slice(0, 6), 16) % 9_000_000;
export const nextSerial = (): number => 1_000_000 + ++counter;

/** A 28-character 不动产单元代码 (GB/T 37346-2019), unique per call. */
export function unitNumber(): string {
  return `110101003001GB${String(nextSerial() % 100_000).padStart(5, '0')}F${String(nextSerial()).padStart(8, '0')}`;
}

export const evidenceId = (prefix: string): string => `${prefix}-${RUN}-${nextSerial()}`;

export const AT = '2026-01-15T09:30:00+08:00';

export function licenceIssued(over: Partial<LicenceEvidence> = {}): LicenceEvidence {
  const serial = nextSerial();
  return {
    evidenceId: evidenceId('lic'),
    type: 'licence.issued',
    identifier: licenceIdentifier(serial),
    documentSha256: sha(`pdf ${serial}`),
    typeCode: TYPE_CODE,
    issuerCode: ISSUER_CODE,
    holderHash: sha(`holder ${serial}`),
    version: 1,
    at: AT,
    ...over,
  } as LicenceEvidence;
}

export function registration(over: Partial<RealEstateEvidence> = {}): RealEstateEvidence {
  return {
    evidenceId: evidenceId('re'),
    type: 'realestate.first-registration',
    unitNumber: unitNumber(),
    certificateNumber: `京(2026)东城区不动产权第${String(nextSerial()).padStart(7, '0')}号`,
    documentSha256: sha(`register ${nextSerial()}`),
    holderHash: sha(`owner ${nextSerial()}`),
    at: AT,
    ...over,
  } as RealEstateEvidence;
}

export function fundEvent(over: Partial<FundEvidence> = {}): FundEvidence {
  return {
    evidenceId: evidenceId('fund'),
    type: 'fund.deposit',
    accountHash: sha(`account ${nextSerial()}`),
    at: AT,
    ...over,
  } as FundEvidence;
}

/** A 项目代码 (全国投资项目在线审批监管平台), unique per call. */
export const projectCode = (): string => `2026-350203-48-01-${String(nextSerial() % 1_000_000).padStart(6, '0')}`;

/** A 工程建设项目 step decision: by default the 立项用地 step approved by the 自然资源局. */
export function projectDecision(over: Partial<ProjectEvidence> = {}): ProjectEvidence {
  return {
    evidenceId: evidenceId('prj'),
    type: 'project.landuse.decided',
    projectCode: projectCode(),
    decision: 'approved',
    department: 'zrzyj',
    documentSha256: sha(`decision ${nextSerial()}`),
    at: AT,
    ...over,
  } as ProjectEvidence;
}
