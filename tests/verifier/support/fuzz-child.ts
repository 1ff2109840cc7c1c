// A child process that verifies whatever it is sent and says how it went. A rejected
// promise or a malformed report is a crash; not answering in time is a hang (the parent
// kills it). Run with `--import tsx`.
import { verifyPdf } from '../../../verifier/index.ts';

interface Job {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly trust: Uint8Array[];
  readonly crls: Uint8Array[];
  readonly at: string;
}

process.on('message', (job: Job) => {
  void (async () => {
    try {
      const report = await verifyPdf(job.bytes, { trust: job.trust, crls: job.crls, at: new Date(job.at) });
      const ok = typeof report.document.verdict === 'string' && Array.isArray(report.signatures) &&
        report.signatures.every((s) => typeof s.indication === 'string' && typeof s.modification === 'string');
      process.send!(ok ? { id: job.id, verdict: report.document.verdict } : { id: job.id, crash: 'malformed report' });
    } catch (e) {
      process.send!({ id: job.id, crash: (e as Error)?.stack ?? String(e) });
    }
  })();
});
process.send!({ ready: true });
