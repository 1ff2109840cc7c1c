import type { LicenceType } from '../licence-type.ts';
import { localTypeCode } from './local-authority.ts';

const ROW = { x: 24, width: 162, labelWidth: 34, size: 11, maxLines: 1 } as const;

/** 不动产权证书 (real-estate title certificate), local demo type after the 2015 certificate page. */
export const REAL_ESTATE_CERTIFICATE: LicenceType = {
  code: localTypeCode(902),
  name: '不动产权证书',
  description: 'Local demo type after the 不动产权证书 register page; not the national type code.',
  holder: { kind: 'EITHER', nameField: 'holder', codeField: 'holderIdNumber' },
  validity: { kind: 'longTerm' },
  schema: {
    fields: [
      { key: 'holder', label: '权利人', kind: 'text', maxLength: 60, required: true },
      { key: 'holderIdType', label: '证件种类', kind: 'enum', options: ['居民身份证', '统一社会信用代码'], required: true },
      { key: 'holderIdNumber', label: '证件号', kind: 'partyCode', typeField: 'holderIdType', required: true },
      { key: 'coOwnership', label: '共有情况', kind: 'enum', options: ['单独所有', '共同共有', '按份共有'], required: true },
      { key: 'location', label: '坐落', kind: 'text', maxLength: 80, required: true },
      { key: 'unitNumber', label: '不动产单元号', kind: 'text', maxLength: 28, required: true },
      {
        key: 'rightType',
        label: '权利类型',
        kind: 'enum',
        options: ['国有建设用地使用权/房屋所有权', '集体建设用地使用权/房屋所有权', '宅基地使用权/房屋所有权', '国有建设用地使用权'],
        required: true,
      },
      { key: 'rightNature', label: '权利性质', kind: 'text', maxLength: 30, required: true },
      { key: 'usage', label: '用途', kind: 'text', maxLength: 30, required: true },
      { key: 'landArea', label: '共有宗地面积', kind: 'number', unit: '㎡', scale: 2, min: 0, max: 1e9, required: false },
      { key: 'floorArea', label: '房屋建筑面积', kind: 'number', unit: '㎡', scale: 2, min: 0, max: 1e7, required: true },
      { key: 'termStart', label: '使用期限起', kind: 'date', required: true },
      { key: 'termEnd', label: '使用期限止', kind: 'date', required: true },
      { key: 'otherStatus', label: '权利其他状况', kind: 'multiline', maxLength: 200, required: false },
    ],
    constraints: [{ kind: 'notBefore', field: 'termEnd', other: 'termStart' }],
  },
  layout: {
    page: 'A4-portrait',
    border: { inset: 10, width: 1, color: [0.1, 0.35, 0.3] },
    title: { x: 105, y: 22, size: 28, align: 'center', letterSpacing: 8 },
    number: { x: 105, y: 40, size: 11, align: 'center' },
    qr: { x: 24, y: 232, size: 30, caption: '扫码查验证照状态' },
    fields: [
      { ...ROW, field: 'holder', y: 56, maxLines: 2, minSize: 9 },
      { ...ROW, field: 'holderIdType', y: 70 },
      { ...ROW, field: 'holderIdNumber', y: 80 },
      { ...ROW, field: 'coOwnership', y: 90 },
      { ...ROW, field: 'location', y: 100, maxLines: 2, minSize: 9 },
      { ...ROW, field: 'unitNumber', y: 114 },
      { ...ROW, field: 'rightType', y: 124 },
      { ...ROW, field: 'rightNature', y: 134 },
      { ...ROW, field: 'usage', y: 144 },
      { ...ROW, field: 'landArea', y: 154 },
      { ...ROW, field: 'floorArea', y: 164 },
      { ...ROW, field: 'termStart', y: 174 },
      { ...ROW, field: 'termEnd', y: 184 },
      { ...ROW, field: 'otherStatus', y: 194, size: 10, minSize: 8, maxLines: 5, lineHeight: 1.4 },
    ],
    seal: { x: 134, y: 222, size: 42 },
    jointSeals: [{ x: 88, y: 222, size: 42 }],
    issuer: { x: 155, y: 244, size: 12, align: 'center', prefix: '登记机构：' },
    issueDate: { x: 155, y: 254, size: 12, align: 'center' },
    identifier: { x: 24, y: 276, size: 8, prefix: '证照标识：' },
  },
};
