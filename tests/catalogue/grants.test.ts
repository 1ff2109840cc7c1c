import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR } from '../../gateway/services/actor.ts';
import { NotGrantedError, shippedCatalogueDir } from '../../gateway/services/catalogue/index.ts';
import { DEMO_DEPARTMENTS } from '../../gateway/services/demo-data.ts';
import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { copyCatalogue, removeCatalogueCopies } from './folder.ts';

const LOAN = '350200-GJJ-0002';
const TRANSFER = '350200-BDC-0001';
const SOCIAL = '350200-RSJ-0001';

describe('grants', () => {
  const t = useTestApp();
  const grants = () => t.app.services.grants;

  beforeAll(async () => {
    for (const d of DEMO_DEPARTMENTS) await t.app.services.departments.ensure(OPERATOR, d);
    await t.app.services.catalogue.load(OPERATOR, shippedCatalogueDir);
  });
  afterAll(removeCatalogueCopies);

  it.each([
    ['公积金中心 receives the 不动产权证书 for a loan', 'gjj', REAL_ESTATE_CERTIFICATE.code, LOAN, true],
    ['公积金中心 receives its own deposit certificate type for a loan', 'gjj', PROVIDENT_FUND_CERTIFICATE.code, LOAN, true],
    ['公积金中心 does not receive the 营业执照 for a loan', 'gjj', BUSINESS_LICENCE.code, LOAN, false],
    ['不动产登记中心 does not receive a licence for the loan matter it does not handle', 'bdcdj', REAL_ESTATE_CERTIFICATE.code, LOAN, false],
    ['税务局 joins the transfer but was granted no licence type', 'swj', REAL_ESTATE_CERTIFICATE.code, TRANSFER, false],
    ['an unknown matter grants nothing', 'gjj', REAL_ESTATE_CERTIFICATE.code, '350200-GJJ-9999', false],
  ])('%s', async (_name, department, type, matter, expected) => {
    expect(await grants().mayReceive(department, type, matter)).toBe(expected);
  });

  it('answers for material kinds too, and throws a typed error where asked to', async () => {
    expect(await grants().mayReceiveMaterial('swj', 'property-sale-contract', TRANSFER)).toBe(true);
    expect(await grants().mayReceiveMaterial('swj', 'marital-status', TRANSFER)).toBe(false);
    await expect(grants().requireGrant('rsj', 'licence-type', REAL_ESTATE_CERTIFICATE.code, SOCIAL)).rejects.toMatchObject({
      name: NotGrantedError.name,
      code: 'NOT_GRANTED',
      departmentId: 'rsj',
      matter: SOCIAL,
      resource: REAL_ESTATE_CERTIFICATE.code,
    });
  });

  it('lists what a department may receive, to that department only', async () => {
    expect(await grants().receivable(asDepartment('gjj'), 'gjj')).toEqual([
      { matter: '350200-GJJ-0001', licenceTypes: [BUSINESS_LICENCE.code], materials: ['bank-account-info', 'legal-representative-identity'] },
      { matter: LOAN, licenceTypes: [PROVIDENT_FUND_CERTIFICATE.code, REAL_ESTATE_CERTIFICATE.code].sort(), materials: ['applicant-identity', 'marital-status', 'property-sale-contract'] },
    ]);
    await expect(grants().receivable(asDepartment('bdcdj'), 'gjj')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(grants().list(asDepartment('bdcdj'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await grants().list(asDepartment('bdcdj'), { departmentId: 'bdcdj' })).every((g) => g.departmentId === 'bdcdj')).toBe(true);
  });

  it('lets the operator add and revoke a grant that fits the matter, and nothing else', async () => {
    const count = () => t.db.prisma.departmentGrant.count();
    const before = await count();
    await expect(grants().add(asDepartment('rsj'), { departmentId: 'rsj', matter: SOCIAL, resourceKind: 'material', resource: 'bank-account-info' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(grants().add(OPERATOR, { departmentId: 'rsj', matter: SOCIAL, resourceKind: 'licence-type', resource: REAL_ESTATE_CERTIFICATE.code })).rejects.toMatchObject({ code: 'INVALID_GRANT' });
    await expect(grants().add(OPERATOR, { departmentId: 'gaj', matter: SOCIAL, resourceKind: 'material', resource: 'bank-account-info' })).rejects.toMatchObject({ code: 'INVALID_GRANT' });
    await expect(grants().add(OPERATOR, { departmentId: 'rsj', matter: '350200-RSJ-9999', resourceKind: 'material', resource: 'bank-account-info' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await count()).toBe(before);

    const grant = await grants().add(OPERATOR, { departmentId: 'rsj', matter: SOCIAL, resourceKind: 'material', resource: 'bank-account-info' });
    expect(grant).toMatchObject({ source: 'operator', revokedAt: null });
    expect((await grants().add(OPERATOR, { departmentId: 'rsj', matter: SOCIAL, resourceKind: 'material', resource: 'bank-account-info' })).id).toBe(grant.id);
    expect(await grants().mayReceiveMaterial('rsj', 'bank-account-info', SOCIAL)).toBe(true);

    await grants().revoke(OPERATOR, grant.id);
    expect(await grants().mayReceiveMaterial('rsj', 'bank-account-info', SOCIAL)).toBe(false);
    await expect(grants().revoke(OPERATOR, grant.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await grants().list(OPERATOR, { departmentId: 'rsj', revoked: true })).find((g) => g.id === grant.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it('follows grants.json at each load, leaves operator grants alone, and grants nothing for a withdrawn matter', async () => {
    const operatorGrant = await grants().add(OPERATOR, { departmentId: 'gjj', matter: LOAN, resourceKind: 'material', resource: 'income-proof' });
    const copy = copyCatalogue();
    copy.edit('grants.json', (g) => {
      const loan = g.grants.find((x: { department: string; matter: string }) => x.department === 'gjj' && x.matter === LOAN);
      loan.licenceTypes = [REAL_ESTATE_CERTIFICATE.code];
    });

    const result = await t.app.services.catalogue.load(OPERATOR, copy.dir);

    expect(result.grants).toEqual({ granted: 0, revoked: 1 });
    expect(await grants().mayReceive('gjj', PROVIDENT_FUND_CERTIFICATE.code, LOAN)).toBe(false);
    expect(await grants().mayReceive('gjj', REAL_ESTATE_CERTIFICATE.code, LOAN)).toBe(true);
    expect(await grants().mayReceiveMaterial('gjj', 'income-proof', LOAN)).toBe(true);

    copy.remove('matters/fund-loan.json');
    copy.remove('bundles/property-purchase-loan.json');
    copy.edit('grants.json', (g) => (g.grants = g.grants.filter((x: { matter: string }) => x.matter !== LOAN)));
    await t.app.services.catalogue.load(OPERATOR, copy.dir);

    expect((await grants().list(OPERATOR, { departmentId: 'gjj' })).map((g) => g.id)).toContain(operatorGrant.id);
    expect(await grants().mayReceiveMaterial('gjj', 'income-proof', LOAN)).toBe(false);
  });
});

describe('zhengyin type export', () => {
  const t = useTestApp();

  beforeAll(async () => {
    for (const d of DEMO_DEPARTMENTS) await t.app.services.departments.ensure(OPERATOR, d);
    await t.app.services.catalogue.load(OPERATOR, shippedCatalogueDir);
  });
  afterAll(removeCatalogueCopies);

  it('writes each seeded type back as the file it was loaded from, and loading the export changes nothing', async () => {
    const copy = copyCatalogue();
    for (const file of fs.readdirSync(path.join(shippedCatalogueDir, 'licence-types'))) {
      const shipped = JSON.parse(fs.readFileSync(path.join(shippedCatalogueDir, 'licence-types', file), 'utf8'));
      const exported = await t.app.services.catalogue.exportLicenceType(shipped.name);
      expect(exported).toEqual(shipped);
      copy.write(`licence-types/${file}`, JSON.stringify(exported));
    }

    const result = await t.app.services.catalogue.load(OPERATOR, copy.dir);

    expect({ added: result.added, changed: result.changed, withdrawn: result.withdrawn }).toEqual({ added: [], changed: [], withdrawn: [] });
  });

  it('exports a type changed outside the catalogue as it now is; loading that makes its next version', async () => {
    const type = await t.app.services.licenceTypes.resolve(PROVIDENT_FUND_CERTIFICATE.code);
    await t.app.services.licenceTypes.define(OPERATOR, { ...type, validity: { kind: 'fixedTerm', months: 6 } }, ['gjj']);
    const copy = copyCatalogue();
    copy.write('licence-types/provident-fund-certificate.json', JSON.stringify(await t.app.services.catalogue.exportLicenceType('住房公积金缴存证明')));

    const result = await t.app.services.catalogue.load(OPERATOR, copy.dir);

    expect(result.changed).toEqual([{ kind: 'licence-type', key: PROVIDENT_FUND_CERTIFICATE.code, version: 2 }]);
    expect((await t.app.services.catalogue.get('licence-type', PROVIDENT_FUND_CERTIFICATE.code)).content.validity).toEqual({ kind: 'fixedTerm', months: 6 });
    await expect(t.app.services.catalogue.exportLicenceType('没有的证照')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
