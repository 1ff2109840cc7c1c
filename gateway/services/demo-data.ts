import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE, SEED_EXAMPLES } from '../../signer/index.ts';
import type { Logger } from '../runtime/logger.ts';
import { OPERATOR } from './actor.ts';
import { shippedCatalogueDir } from './catalogue/index.ts';
import type { Services } from './services.ts';

/**
 * Made-up departments for the embedded demo. The codes carry valid check characters
 * (GB 32100-2015) and belong to no real body.
 */
export const DEMO_DEPARTMENTS = [
  { id: 'scjg', name: '厦门市市场监督管理局', uscc: '11350200MB00000191', issues: [BUSINESS_LICENCE.code] },
  { id: 'bdcdj', name: '厦门市不动产登记中心', uscc: '12350200MB00012343', issues: [REAL_ESTATE_CERTIFICATE.code] },
  { id: 'gjj', name: '厦门市住房公积金管理中心', uscc: '11350200MB0002056A', issues: [PROVIDENT_FUND_CERTIFICATE.code] },
  { id: 'xzsp', name: '厦门市行政审批服务局', uscc: '11350200MB0003084E', issues: [] },
  { id: 'gaj', name: '厦门市公安局', uscc: '11350200MB0004101R', issues: [] },
  { id: 'rsj', name: '厦门市人力资源和社会保障局', uscc: '11350200MB00051024', issues: [] },
  { id: 'swj', name: '国家税务总局厦门市税务局', uscc: '11350200MB0006103E', issues: [] },
  { id: 'zygh', name: '厦门市自然资源和规划局', uscc: '11350200MB0007105U', issues: [] },
  { id: 'jsj', name: '厦门市建设局', uscc: '11350200MB00081066', issues: [] },
] as const;

/**
 * The demo applicants (一证通办): the holders of the seeded licences, a person by
 * 居民身份证号码 (the 不动产权证书's holder) and a company by 统一社会信用代码 (the
 * 营业执照's). Invented, with valid check characters.
 */
export const DEMO_APPLICANTS = [
  { kind: 'person', name: '林美华', holderCodeType: '111', code: '350203198507151235' },
  { kind: 'company', name: '厦门鹭岛数字科技有限公司', holderCodeType: '001', code: '91350100M000100Y43' },
] as const;

/** The department the start banner mints a demo API token for. */
export const DEMO_TOKEN_DEPARTMENT = 'scjg';

/** The department whose demo licence is issued as both PDF and OFD (GB/T 33190), sealed with its SM2 seal too. */
export const DEMO_OFD_DEPARTMENT = 'scjg';

/** The department whose seal joins the demo 营业执照 as a second, joint seal (联办件). */
export const DEMO_JOINT_DEPARTMENT = 'xzsp';

/**
 * Seeds the demo: departments, the shipped catalogue folder (licence types with their
 * issuers, matters, proofs, bundles, grants: the same files `zhengyin catalogue load`
 * takes), one active seal per department, and one issued licence of each seeded type.
 * Idempotent: a second run on the same database adds nothing.
 */
export async function seedDemoData(services: Services, log: Logger): Promise<{ licences: string[]; statusUrls: string[] }> {
  for (const d of DEMO_DEPARTMENTS) await services.departments.ensure(OPERATOR, d);
  const loaded = await services.catalogue.load(OPERATOR, shippedCatalogueDir);
  if (loaded.added.length + loaded.changed.length + loaded.withdrawn.length > 0) {
    log.info('loaded the catalogue', { added: loaded.added.length, changed: loaded.changed.length, withdrawn: loaded.withdrawn.length });
  }
  for (const d of DEMO_DEPARTMENTS) {
    if (!(await services.seals.activeSealOf(d.id))) {
      await services.seals.create(OPERATOR, { departmentId: d.id, title: d.id === DEMO_JOINT_DEPARTMENT ? '行政审批专用章' : '电子证照专用章' });
    }
  }
  // SM2 seals (GB/T 38540) seal OFD licences: the OFD issuer's, and the joint department's so the demo OFD carries both seals.
  for (const id of [DEMO_OFD_DEPARTMENT, DEMO_JOINT_DEPARTMENT]) {
    if (!(await services.seals.activeSealOf(id, { sm2: true }))) {
      await services.seals.create(OPERATOR, { departmentId: id, title: id === DEMO_JOINT_DEPARTMENT ? '行政审批专用章' : '电子证照专用章', algorithm: 'SM2' });
    }
  }
  const licences: string[] = [];
  const statusUrls: string[] = [];
  for (const example of SEED_EXAMPLES) {
    const department = DEMO_DEPARTMENTS.find((d) => (d.issues as readonly string[]).includes(example.typeCode))!;
    const existing = await services.licences.listByDepartment(OPERATOR, department.id, { limit: 1 });
    if (existing.length > 0) {
      licences.push(existing[0]!.identifier);
      statusUrls.push(existing[0]!.statusUrl);
      continue;
    }
    const { licence } = await issueDemoLicence(services, example.typeCode);
    log.info(`issued a demo ${licence.typeName}`, { identifier: licence.identifier });
    licences.push(licence.identifier);
    statusUrls.push(licence.statusUrl);
  }
  return { licences, statusUrls };
}

/** Issues the demo licence of a seeded type (the 营业执照 with a joint seal). */
export async function issueDemoLicence(services: Services, typeCode: string = BUSINESS_LICENCE.code) {
  const example = SEED_EXAMPLES.find((e) => e.typeCode === typeCode)!;
  const department = DEMO_DEPARTMENTS.find((d) => (d.issues as readonly string[]).includes(typeCode))!;
  const joint = typeCode === BUSINESS_LICENCE.code ? await services.seals.activeSealOf(DEMO_JOINT_DEPARTMENT) : undefined;
  return services.licences.issue(OPERATOR, {
    type: typeCode,
    departmentId: department.id,
    face: example.face,
    number: example.number,
    ...(joint ? { jointSealIds: [joint.id] } : {}),
    ...(department.id === DEMO_OFD_DEPARTMENT ? { format: 'both' as const } : {}),
  });
}
