import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../gateway/services/actor.ts';
import { DEMO_JOINT_DEPARTMENT, issueDemoLicence } from '../../gateway/services/demo-data.ts';
import { addValidationData, BUSINESS_LICENCE, SEED_EXAMPLES } from '../../signer/index.ts';
import { useTestApp } from '../support/app.ts';
import { readDss } from '../support/inspect.ts';
import { describePyhanko, pyhankoValidate, skipWithoutPyhanko, type PyhankoSignature } from '../support/pyhanko.ts';

/** The changes after a certification with DocMDP P 2 that pyHanko may report and still allow. */
const ALLOWED_LEVELS = ['NONE', 'LTA_UPDATES', 'FORM_FILLING'];

/**
 * Issue 10's acceptance: licences the service issues, with and without joint seals, and
 * sealed again afterwards, judged by pyHanko, the strictest validator we have (it analyses
 * every incremental update against the certification), with the service's own root,
 * CRLs and OCSP responses and nothing fetched.
 */
describe.skipIf(skipWithoutPyhanko('tests/e2e/licence-pyhanko'))('issued licences, judged by pyHanko', () => {
  const t = useTestApp();
  const tsa = () => t.app.services.pki.timestampAuthority();
  const sealOf = async (department: string) => (await t.app.services.seals.activeSealOf(department))!;
  const issue = (extra: { jointSealIds?: string[]; reservedSeals?: number } = {}) =>
    t.app.services.licences.issue(OPERATOR, { type: BUSINESS_LICENCE.code, departmentId: 'scjg', face: SEED_EXAMPLES[0]!.face, ...extra });

  beforeAll(async () => {
    await t.app.seedDemo();
  });

  /** pyHanko's judgement of `pdf`, knowing what the service's revocation source answers for every certificate in it. */
  async function judge(pdf: Uint8Array): Promise<PyhankoSignature[]> {
    // The service's CRLs and OCSP responses, gathered the way B-LT gathers them, on a copy.
    const dss = (await readDss(await addValidationData(pdf, { revocation: t.app.services.pki.revocationSource() })))!;
    return pyhankoValidate(pdf, { roots: [await t.app.services.pki.rootCertificate()], crls: dss.crls, ocsps: dss.ocsps });
  }

  function expectAllGood(signatures: readonly PyhankoSignature[], fields: readonly string[]): void {
    const report = describePyhanko(signatures);
    expect(signatures.map((s) => s.field), report).toEqual(fields);
    for (const s of signatures) {
      expect(s.error, report).toBeUndefined();
      expect([s.field, s.intact, s.valid, s.trusted, s.bottomLine], report).toEqual([s.field, true, true, true, true]);
      expect(ALLOWED_LEVELS, `${s.field}\n${report}`).toContain(s.modificationLevel);
      if (s.type !== 'DocTimeStamp') expect(s.docmdpOk, `${s.field}\n${report}`).toBe(true);
    }
    expect(signatures.at(-1)!.coverage, report).toBe('ENTIRE_FILE');
  }

  it('passes a licence without joint seals (B-LTA)', async () => {
    expectAllGood(await judge((await issue()).pdf), ['Seal1', 'DocTimeStamp1']);
  });

  it('passes the demo 营业执照, its joint seal filling the field the certification already held (B-LTA)', async () => {
    const { pdf } = await issueDemoLicence(t.app.services);
    const signatures = await judge(pdf);
    expectAllGood(signatures, ['Seal1', 'Seal2', 'DocTimeStamp1']);
    expect(signatures[0]!.modificationLevel).toBe('FORM_FILLING');
  });

  it('passes a licence with two joint seals (B-LTA)', async () => {
    const { pdf } = await issue({ jointSealIds: [(await sealOf(DEMO_JOINT_DEPARTMENT)).id, (await sealOf('gjj')).id] });
    expectAllGood(await judge(pdf), ['Seal1', 'Seal2', 'Seal3', 'DocTimeStamp1']);
  });

  it('passes a licence sealed after issuance into the field kept for it', async () => {
    const { pdf } = await issue({ reservedSeals: 1 });
    const sealed = await t.app.services.seals.apply(OPERATOR, (await sealOf('gjj')).id, pdf, { field: 'Seal2' }, tsa());
    // The later seal fills its field after the document time-stamp; it covers the whole file.
    expectAllGood(await judge(sealed), ['Seal1', 'DocTimeStamp1', 'Seal2']);
  });

  it('reports the certification as modified by a new visible field (--allow-new-field): why the service refuses one by default', async () => {
    const { pdf } = await issue();
    const sealed = await t.app.services.seals.apply(OPERATOR, (await sealOf('gjj')).id, pdf, { page: 0, x: 60, y: 60, allowNewField: true }, tsa());
    const signatures = await judge(sealed);
    const report = describePyhanko(signatures);
    expect(signatures[0]!, report).toMatchObject({ field: 'Seal1', intact: true, valid: true, docmdpOk: false });
    expect(signatures[0]!.diff, report).toMatch(/only allowed after an approval signature, not a certification signature/);
  });
});
