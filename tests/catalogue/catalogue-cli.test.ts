import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedCatalogueDir } from '../../gateway/services/catalogue/index.ts';
import { DEMO_DEPARTMENTS } from '../../gateway/services/demo-data.ts';
import { zhengyin } from '../support/cli.ts';
import { useTestDatabase } from '../support/database.ts';
import { copyCatalogue, removeCatalogueCopies } from './folder.ts';

describe('zhengyin catalogue, grant and type export (separate processes, a real installation)', () => {
  const t = useTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengyin-catalogue-cli-'));
  const env = () => ({ DATABASE_URL: t.url, ZHENGYIN_DATA_DIR: path.join(dir, 'data') });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    removeCatalogueCopies();
  });
  beforeAll(async () => {
    await t.db.prisma.department.createMany({ data: DEMO_DEPARTMENTS.map(({ id, name, uscc }) => ({ id, name, uscc })) });
  });

  it('refuses a broken folder naming the file and pointer (exit 65), then loads, shows and exports the shipped one', async () => {
    const broken = copyCatalogue();
    broken.edit('matters/fund-loan.json', (m) => (m.materials[6].proof = 'ZM-WFZM'));
    const refused = await zhengyin(['catalogue', 'load', broken.dir], env());
    expect(refused.code).toBe(65);
    expect(refused.stderr).toContain('INVALID_PROOF_NOT_LISTED');
    expect(refused.stderr).toContain('matters/fund-loan.json#/materials/6/proof');
    expect(await t.db.prisma.catalogueItem.count()).toBe(0);

    const checked = await zhengyin(['catalogue', 'load', shippedCatalogueDir, '--check'], env());
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('10 matter');

    const loaded = await zhengyin(['catalogue', 'load', shippedCatalogueDir], env());
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/added +matter {2}350200-GJJ-0002 {2}v1/);
    expect(loaded.stdout).toMatch(/0 changed, 0 unchanged, 0 withdrawn/);

    const shown = await zhengyin(['catalogue', 'show', '--kind', 'matter'], env());
    expect(shown.stdout.trim().split('\n')).toHaveLength(10);
    expect(shown.stdout).toMatch(/matter +350200-GJJ-0002 {2}v1 {2}住房公积金个人住房贷款/);

    const out = path.join(dir, 'business-licence.json');
    const exported = await zhengyin(['type', 'export', '营业执照', '--out', out], env());
    expect(exported.code, exported.stderr).toBe(0);
    const shipped = JSON.parse(fs.readFileSync(path.join(shippedCatalogueDir, 'licence-types', 'business-licence.json'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(shipped);
  });

  it('adds, lists and revokes an operator grant', async () => {
    const added = await zhengyin(['grant', 'add', '--department', 'rsj', '--matter', '350200-RSJ-0001', '--material', 'bank-account-info'], env());
    expect(added.code, added.stderr).toBe(0);
    const id = added.stdout.split(/\s+/)[0]!;

    const listed = await zhengyin(['grant', 'list', '--department', 'rsj'], env());
    expect(listed.stdout).toContain(`${id}  rsj  350200-RSJ-0001  material  bank-account-info  operator`);
    expect(listed.stdout).toContain('licence-type  11350200999999998J901  catalogue');

    expect((await zhengyin(['grant', 'revoke', id], env())).stdout).toContain(`${id} revoked`);
    expect(await t.db.prisma.departmentGrant.findUniqueOrThrow({ where: { id } })).toMatchObject({ revokedAt: expect.any(Date) });
  });
});
