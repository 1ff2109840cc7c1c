import type { LicenceType } from '../licence-type.ts';
import { localTypeCode } from './local-authority.ts';

const ROW = { x: 24, width: 162, labelWidth: 46, size: 11, minSize: 9, maxLines: 1 } as const;

/** 住房公积金缴存证明 (housing provident fund deposit certificate), local demo type; valid three months. */
export const PROVIDENT_FUND_CERTIFICATE: LicenceType = {
  code: localTypeCode(903),
  name: '住房公积金缴存证明',
  description: 'Local demo type after the deposit certificates 公积金中心 print on request; not a national type code.',
  holder: { kind: 'PERSON', nameField: 'name', codeField: 'idNumber' },
  validity: { kind: 'fixedTerm', months: 3 },
  schema: {
    fields: [
      { key: 'name', label: '姓名', kind: 'text', maxLength: 30, required: true },
      { key: 'idNumber', label: '身份证号', kind: 'idNumber', required: true },
      { key: 'employer', label: '单位名称', kind: 'text', maxLength: 60, required: true },
      { key: 'employerUscc', label: '单位统一社会信用代码', kind: 'uscc', required: false },
      { key: 'accountNumber', label: '个人公积金账号', kind: 'text', maxLength: 20, required: true },
      { key: 'depositBase', label: '缴存基数', kind: 'money', unit: '元', max: 1e7, required: true },
      { key: 'depositRatio', label: '缴存比例', kind: 'number', unit: '%', scale: 1, min: 5, max: 12, required: false },
      { key: 'monthlyDeposit', label: '月缴存额', kind: 'money', unit: '元', max: 1e7, required: true },
      { key: 'depositStatus', label: '缴存状态', kind: 'enum', options: ['正常', '封存', '销户'], required: true },
      { key: 'openedOn', label: '开户日期', kind: 'date', required: true },
      { key: 'balance', label: '账户余额', kind: 'money', unit: '元', max: 1e10, required: false },
      { key: 'purpose', label: '证明用途', kind: 'multiline', maxLength: 100, required: false },
    ],
  },
  layout: {
    page: 'A4-portrait',
    border: { inset: 10, width: 0.8, color: [0.6, 0.1, 0.1] },
    title: { x: 105, y: 26, size: 24, align: 'center', letterSpacing: 4 },
    number: { x: 105, y: 42, size: 10, align: 'center', prefix: '编号：' },
    qr: { x: 24, y: 226, size: 30, caption: '扫码查验证明状态' },
    fields: [
      { ...ROW, field: 'name', y: 60 },
      { ...ROW, field: 'idNumber', y: 71 },
      { ...ROW, field: 'employer', y: 82, maxLines: 2, minSize: 9 },
      { ...ROW, field: 'employerUscc', y: 96 },
      { ...ROW, field: 'accountNumber', y: 107 },
      { ...ROW, field: 'depositBase', y: 118 },
      { ...ROW, field: 'depositRatio', y: 129 },
      { ...ROW, field: 'monthlyDeposit', y: 140 },
      { ...ROW, field: 'depositStatus', y: 151 },
      { ...ROW, field: 'openedOn', y: 162 },
      { ...ROW, field: 'balance', y: 173 },
      { ...ROW, field: 'purpose', y: 184, size: 10, minSize: 8, maxLines: 3, lineHeight: 1.4 },
    ],
    seal: { x: 134, y: 214, size: 42 },
    jointSeals: [{ x: 88, y: 214, size: 42 }],
    issuer: { x: 155, y: 236, size: 12, align: 'center' },
    issueDate: { x: 155, y: 246, size: 12, align: 'center' },
    identifier: { x: 24, y: 276, size: 8, prefix: '证明标识：' },
  },
};
