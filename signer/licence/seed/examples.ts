import type { FaceData } from '../face-data.ts';
import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE } from './seed-types.ts';

/** A made-up licence of a seeded type: its issuer and face data (for demos, tests and benchmarks). */
export interface LicenceExample {
  readonly typeCode: string;
  /** 颁发机构 and its 统一社会信用代码: made up, with valid check characters. */
  readonly issuer: string;
  readonly issuerCode: string;
  /** 证照编号 as the issuer would print it. */
  readonly number: string;
  readonly face: FaceData;
}

/**
 * One example per seeded type. Every name, address and code is invented; the codes carry
 * valid check characters so they pass validation, and belong to no one we know of.
 */
export const SEED_EXAMPLES: readonly LicenceExample[] = [
  {
    typeCode: BUSINESS_LICENCE.code,
    issuer: '厦门市市场监督管理局',
    issuerCode: '11350200MB00000191',
    number: '350200000123456',
    face: {
      uscc: '91350100M000100Y43',
      name: '厦门鹭岛数字科技有限公司',
      entityType: '有限责任公司（自然人投资或控股）',
      legalRepresentative: '陈晓明',
      businessScope:
        '一般项目：软件开发；信息技术咨询服务；数据处理和存储支持服务；计算机系统服务；网络技术服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      registeredCapital: '500.00',
      establishedOn: '2015-03-12',
      businessTermEnd: '长期',
      address: '厦门市思明区软件园二期望海路10号之一501室',
    },
  },
  {
    typeCode: REAL_ESTATE_CERTIFICATE.code,
    issuer: '厦门市不动产登记中心',
    issuerCode: '12350200MB00012343',
    number: '闽（2024）厦门市不动产权第0012345号',
    face: {
      holder: '林美华',
      holderIdType: '居民身份证',
      holderIdNumber: '350203198507151235',
      coOwnership: '单独所有',
      location: '厦门市湖里区湖光路88号3号楼1502室',
      unitNumber: '350206001003GB00012F00031502',
      rightType: '国有建设用地使用权/房屋所有权',
      rightNature: '出让/市场化商品房',
      usage: '城镇住宅用地/住宅',
      landArea: '12650.37',
      floorArea: '89.46',
      termStart: '2008-06-01',
      termEnd: '2078-05-31',
      otherStatus: '专有建筑面积：72.18㎡，分摊建筑面积：17.28㎡。',
    },
  },
  {
    typeCode: PROVIDENT_FUND_CERTIFICATE.code,
    issuer: '厦门市住房公积金管理中心',
    issuerCode: '11350200MB0002056A',
    number: 'GJJ2024031500017',
    face: {
      name: '王建国',
      idNumber: '350206199001010025',
      employer: '厦门鹭岛数字科技有限公司',
      employerUscc: '91350100M000100Y43',
      accountNumber: '0201350012345',
      depositBase: '12000.00',
      depositRatio: '12',
      monthlyDeposit: '2880.00',
      depositStatus: '正常',
      openedOn: '2016-07-01',
      balance: '86543.21',
      purpose: '本证明用于办理住房公积金贷款。',
    },
  },
];
