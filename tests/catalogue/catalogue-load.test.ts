import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDepartment, OPERATOR } from '../../gateway/services/actor.ts';
import {
  CatalogueReferenceError,
  CatalogueSchemaError,
  ProofNotListedError,
  shippedCatalogueDir,
} from '../../gateway/services/catalogue/index.ts';
import { DEMO_DEPARTMENTS } from '../../gateway/services/demo-data.ts';
import { BUSINESS_LICENCE, PROVIDENT_FUND_CERTIFICATE, REAL_ESTATE_CERTIFICATE } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { copyCatalogue, removeCatalogueCopies } from './folder.ts';

const LOAN = '350200-GJJ-0002';
const TRANSFER = '350200-BDC-0001';

describe('catalogue load', () => {
  const t = useTestApp();
  const catalogue = () => t.app.services.catalogue;
  const rows = async () => ({
    items: await t.db.prisma.catalogueItem.count(),
    loads: await t.db.prisma.catalogueLoad.count(),
    types: await t.db.prisma.licenceType.count(),
    grants: await t.db.prisma.departmentGrant.count(),
  });

  beforeAll(async () => {
    for (const d of DEMO_DEPARTMENTS) await t.app.services.departments.ensure(OPERATOR, d);
  });
  afterAll(removeCatalogueCopies);

  it('refuses anyone but the operator', async () => {
    await expect(catalogue().load(asDepartment('gjj'), shippedCatalogueDir)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await rows()).toEqual({ items: 0, loads: 0, types: 0, grants: 0 });
  });

  it('loads the shipped folder: the seeded licence types with their issuers, matters, proofs, bundles and grants', async () => {
    const result = await catalogue().load(OPERATOR, shippedCatalogueDir);

    expect(result.changed).toEqual([]);
    expect(result.withdrawn).toEqual([]);
    expect(result.added.every((i) => i.version === 1)).toBe(true);
    const keys = (kind: string) => result.added.filter((i) => i.kind === kind).map((i) => i.key).sort();
    expect(keys('licence-type')).toEqual([BUSINESS_LICENCE.code, PROVIDENT_FUND_CERTIFICATE.code, REAL_ESTATE_CERTIFICATE.code].sort());
    expect(keys('matter')).toEqual([
      '350200-BDC-0001', '350200-GAJ-0001', '350200-GJJ-0001', '350200-GJJ-0002', '350200-JSJ-0001', '350200-JSJ-0002', '350200-RSJ-0001', '350200-SCJG-0001',
      '350200-ZYGH-0001', '350200-ZYGH-0002',
    ]);
    expect(keys('bundle')).toEqual(['350200-YJS-GCJS', '350200-YJS-GFDK', '350200-YJS-QYKB']);
    expect(keys('proof')).toEqual(['ZM-HYZK', 'ZM-SRZM', 'ZM-ZSSY']);

    const { description: _kept, ...definition } = BUSINESS_LICENCE; // the description stays in the catalogue, not in licence_type
    expect(await t.app.services.licenceTypes.resolve('营业执照')).toEqual(definition);
    expect(await t.app.services.licenceTypes.issuersOf(REAL_ESTATE_CERTIFICATE.code)).toEqual(['bdcdj']);
    expect(await t.app.services.licenceTypes.mayIssue('scjg', BUSINESS_LICENCE.code)).toBe(true);

    const loan = await catalogue().matter(LOAN);
    expect(loan).toMatchObject({ version: 1, withdrawn: false, content: { department: 'gjj', kind: '承诺件', legalTimeLimitDays: 15, promisedTimeLimitDays: 5 } });
    expect(loan.content.materials.find((m) => m.kind === 'real-estate-certificate')).toMatchObject({ source: '政府部门核发', satisfiedBy: { licenceTypes: [REAL_ESTATE_CERTIFICATE.code] } });
    expect(loan.content.materials.find((m) => m.kind === 'marital-status')).toMatchObject({ proof: 'ZM-HYZK', commitment: true });
    expect(loan.content.materials.find((m) => m.kind === 'income-proof')).toMatchObject({ tolerance: { days: 10 } });
    const bundle = await catalogue().get('bundle', '350200-YJS-QYKB');
    expect(bundle.content.matters).toEqual(['350200-SCJG-0001', '350200-GAJ-0001', '350200-RSJ-0001', '350200-GJJ-0001']);
    expect(result.grants.granted).toBe(await t.db.prisma.departmentGrant.count({ where: { source: 'catalogue', revokedAt: null } }));
  });

  it('loads the same folder again without a new version of anything', async () => {
    const before = await rows();
    const result = await catalogue().load(OPERATOR, shippedCatalogueDir);

    expect({ added: result.added, changed: result.changed, withdrawn: result.withdrawn, grants: result.grants }).toEqual({ added: [], changed: [], withdrawn: [], grants: { granted: 0, revoked: 0 } });
    expect(result.unchanged).toBeGreaterThan(30);
    expect(await rows()).toEqual({ ...before, loads: before.loads + 1 });
  });

  it('gives a changed matter one new version and keeps the old one for applications opened under it', async () => {
    const copy = copyCatalogue();
    copy.edit('matters/fund-loan.json', (m) => (m.promisedTimeLimitDays = 3));

    const result = await catalogue().load(OPERATOR, copy.dir);

    expect(result.changed).toEqual([{ kind: 'matter', key: LOAN, version: 2 }]);
    expect(result.added).toEqual([]);
    expect((await catalogue().matter(LOAN)).content.promisedTimeLimitDays).toBe(3);
    expect((await catalogue().matter(LOAN, 1)).content.promisedTimeLimitDays).toBe(5);
    expect((await catalogue().versions('matter', LOAN)).map((v) => v.version)).toEqual([1, 2]);
  });

  it('withdraws an item the folder no longer has; its versions stay readable', async () => {
    const copy = copyCatalogue();
    copy.edit('matters/fund-loan.json', (m) => (m.promisedTimeLimitDays = 3));
    copy.remove('bundles/property-purchase-loan.json');

    const result = await catalogue().load(OPERATOR, copy.dir);

    expect(result.withdrawn).toEqual([{ kind: 'bundle', key: '350200-YJS-GFDK', version: 2 }]);
    expect(result.changed).toEqual([]);
    await expect(catalogue().get('bundle', '350200-YJS-GFDK')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await catalogue().get('bundle', '350200-YJS-GFDK', 1)).content.matters).toEqual([TRANSFER, LOAN]);
    expect((await catalogue().list({ kind: 'bundle' })).map((b) => b.key)).toEqual(['350200-YJS-GCJS', '350200-YJS-QYKB']);

    const back = await catalogue().load(OPERATOR, shippedCatalogueDir);
    expect(back.added).toEqual([{ kind: 'bundle', key: '350200-YJS-GFDK', version: 3 }]);
    expect(back.changed).toEqual([{ kind: 'matter', key: LOAN, version: 3 }]);
  });

  describe('refusals load nothing at all', () => {
    it.each([
      [
        'a matter off its schema',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('matters/fund-loan.json', (m) => (m.materials[2].form = '传真')),
        { name: CatalogueSchemaError.name, code: 'INVALID_CATALOGUE_SCHEMA', file: 'matters/fund-loan.json', pointer: '/materials/2/form' },
      ],
      [
        'an unknown property in a licence type',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('licence-types/business-licence.json', (t) => (t.layout.seal.colour = 'red')),
        { code: 'INVALID_CATALOGUE_SCHEMA', file: 'licence-types/business-licence.json', pointer: '/layout/seal' },
      ],
      ['a file that is not JSON', (c: ReturnType<typeof copyCatalogue>) => c.write('proofs.json', '{"proofs": ['), { code: 'INVALID_CATALOGUE_SCHEMA', file: 'proofs.json', pointer: '' }],
      ['a stray file', (c: ReturnType<typeof copyCatalogue>) => c.write('matters/notes.txt', 'x'), { code: 'INVALID_CATALOGUE_SCHEMA', file: 'matters/notes.txt' }],
      [
        'a matter of an unknown department',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('matters/seal-engraving.json', (m) => (m.department = 'mzj')),
        { name: CatalogueReferenceError.name, code: 'INVALID_CATALOGUE_REFERENCE', file: 'matters/seal-engraving.json', pointer: '/department' },
      ],
      [
        'a material satisfied by an unknown licence type',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('matters/fund-loan.json', (m) => (m.materials[2].satisfiedBy.licenceTypes = ['11350200999999998J999'])),
        { code: 'INVALID_CATALOGUE_REFERENCE', file: 'matters/fund-loan.json', pointer: '/materials/2/satisfiedBy/licenceTypes/0' },
      ],
      [
        'a material of an unknown kind',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('matters/seal-engraving.json', (m) => (m.materials[0].kind = 'seal-drawing')),
        { code: 'INVALID_CATALOGUE_REFERENCE', file: 'matters/seal-engraving.json', pointer: '/materials/0/kind' },
      ],
      [
        'a bundle of an unknown matter',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('bundles/business-start.json', (b) => b.matters.push('350200-SWJ-0001')),
        { code: 'INVALID_CATALOGUE_REFERENCE', file: 'bundles/business-start.json', pointer: '/matters/4' },
      ],
      [
        'a grant of a licence type its matter does not list',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('grants.json', (g) => g.grants[2].licenceTypes.push(REAL_ESTATE_CERTIFICATE.code)),
        { code: 'INVALID_CATALOGUE_REFERENCE', file: 'grants.json', pointer: '/grants/2/licenceTypes/1' },
      ],
      [
        'a licence type whose layout names a missing field',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('licence-types/real-estate-certificate.json', (t) => (t.layout.fields[3].field = 'owner')),
        { code: 'INVALID_CATALOGUE_REFERENCE', file: 'licence-types/real-estate-certificate.json', pointer: '/layout/fields/3/field' },
      ],
      [
        'a matter asking for a proof outside the proof list',
        (c: ReturnType<typeof copyCatalogue>) => c.edit('matters/fund-loan.json', (m) => (m.materials[6].proof = 'ZM-WFZM')),
        { name: ProofNotListedError.name, code: 'INVALID_PROOF_NOT_LISTED', file: 'matters/fund-loan.json', pointer: '/materials/6/proof', matter: LOAN, proof: 'ZM-WFZM' },
      ],
      [
        'a matter asking for a listed proof its department may not request',
        (c: ReturnType<typeof copyCatalogue>) =>
          c.edit('matters/fund-loan.json', (m) => m.materials.push({ kind: 'residence-proof', required: true, form: '电子', copies: 1, source: '证明', proof: 'ZM-ZSSY' })),
        { code: 'INVALID_PROOF_NOT_LISTED', file: 'matters/fund-loan.json', pointer: '/materials/7/proof', proof: 'ZM-ZSSY' },
      ],
    ])('%s', async (_name, breakIt, expected) => {
      const copy = copyCatalogue();
      copy.edit('matters/seal-engraving.json', (m) => (m.name = '公章刻制备案（新）')); // a change that must not be stored either
      breakIt(copy);
      const before = await rows();
      const versionBefore = (await catalogue().matter('350200-GAJ-0001')).version;

      const failure = await catalogue().load(OPERATOR, copy.dir).catch((e: unknown) => e);

      expect(failure).toMatchObject(expected);
      expect((failure as Error).message).toContain(expected.file);
      expect(await rows()).toEqual(before);
      expect((await catalogue().matter('350200-GAJ-0001')).version).toBe(versionBefore);
    });

    it('lists every problem of the folder, not only the first', async () => {
      const copy = copyCatalogue();
      copy.edit('matters/fund-loan.json', (m) => (m.kind = '快办'));
      copy.edit('bundles/business-start.json', (b) => delete b.leadDepartment);

      const failure = (await catalogue().load(OPERATOR, copy.dir).catch((e: unknown) => e)) as CatalogueSchemaError;

      expect(failure.problems.map((p) => [p.file, p.pointer])).toEqual([
        ['bundles/business-start.json', ''],
        ['matters/fund-loan.json', '/kind'],
      ]);
    });
  });
});
