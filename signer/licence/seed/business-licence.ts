import type { LicenceType } from '../licence-type.ts';
import { localTypeCode } from './local-authority.ts';

const LEFT = { x: 22, width: 132, labelWidth: 34, size: 11, maxLines: 1 } as const;
const RIGHT = { x: 160, width: 116, labelWidth: 24, size: 11, maxLines: 1 } as const;

/** 营业执照 (business licence), local demo type: landscape A4, the layout of the 2016 paper licence. */
export const BUSINESS_LICENCE: LicenceType = {
  code: localTypeCode(901),
  name: '营业执照',
  description: 'Local demo type after the 2016 营业执照 face; not the national type code.',
  holder: { kind: 'ORGANISATION', nameField: 'name', codeField: 'uscc' },
  validity: { kind: 'untilField', field: 'businessTermEnd' },
  schema: {
    fields: [
      { key: 'uscc', label: '统一社会信用代码', kind: 'uscc', required: true },
      { key: 'name', label: '名称', kind: 'text', maxLength: 60, required: true },
      {
        key: 'entityType',
        label: '类型',
        kind: 'enum',
        required: true,
        options: ['有限责任公司（自然人投资或控股）', '有限责任公司（法人独资）', '股份有限公司（非上市）', '个人独资企业', '普通合伙企业', '个体工商户'],
      },
      { key: 'legalRepresentative', label: '法定代表人', kind: 'text', maxLength: 24, required: true },
      { key: 'businessScope', label: '经营范围', kind: 'multiline', maxLength: 400, required: true },
      { key: 'registeredCapital', label: '注册资本', kind: 'money', unit: '万元', max: 1e12, required: true },
      { key: 'establishedOn', label: '成立日期', kind: 'date', required: true },
      { key: 'businessTermEnd', label: '营业期限至', kind: 'date', allowLongTerm: true, required: true },
      { key: 'address', label: '住所', kind: 'text', maxLength: 80, required: true },
    ],
    constraints: [{ kind: 'notBefore', field: 'businessTermEnd', other: 'establishedOn' }],
  },
  layout: {
    page: 'A4-landscape',
    border: { inset: 8, width: 1.2, color: [0.72, 0.53, 0.2], double: true },
    title: { x: 148.5, y: 20, size: 34, align: 'center', letterSpacing: 14 },
    number: { x: 22, y: 20, size: 9, prefix: '证照编号：' },
    qr: { x: 248, y: 16, size: 28, caption: '扫码查验证照状态' },
    fields: [
      { ...LEFT, field: 'uscc', y: 48 },
      { ...LEFT, field: 'name', y: 60, maxLines: 2, minSize: 9 },
      { ...LEFT, field: 'entityType', y: 74 },
      { ...LEFT, field: 'legalRepresentative', y: 84, minSize: 9 },
      { ...LEFT, field: 'businessScope', y: 96, size: 10, minSize: 7, maxLines: 12, lineHeight: 1.4 },
      { ...RIGHT, field: 'registeredCapital', y: 60 },
      { ...RIGHT, field: 'establishedOn', y: 74 },
      { ...RIGHT, field: 'businessTermEnd', y: 84 },
      { ...RIGHT, field: 'address', y: 96, maxLines: 3, minSize: 9 },
    ],
    seal: { x: 224, y: 138, size: 42 },
    jointSeals: [{ x: 178, y: 138, size: 42 }],
    issuer: { x: 245, y: 160, size: 12, align: 'center', prefix: '登记机关：' },
    issueDate: { x: 245, y: 170, size: 12, align: 'center' },
    identifier: { x: 22, y: 190, size: 8, prefix: '证照标识：' },
  },
};
