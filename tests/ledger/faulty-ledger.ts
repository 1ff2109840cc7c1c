import { AnchorCommitError, AnchorSubmitError, type EvidenceRecord, type Ledger } from '../../ledger/index.ts';

/**
 * A fault injector around a real ledger: `down` fails every call before it reaches the
 * ledger (an outage), `loseAnswers` lets the ledger commit and then throws as if the
 * answer was lost on the way back. Everything else goes to the real ledger.
 */
export class FaultyLedger implements Ledger {
  readonly mode: Ledger['mode'];
  readonly location: string;
  down = false;
  loseAnswers = 0;
  calls = 0;
  readonly #inner: Ledger;

  constructor(inner: Ledger) {
    this.#inner = inner;
    this.mode = inner.mode;
    this.location = `faulty ${inner.location}`;
  }

  async anchorBatch(records: readonly EvidenceRecord[]) {
    this.calls++;
    const ids = { evidenceIds: records.map((r) => r.evidenceId), transactionId: 'FAULT_INJECTED' };
    if (this.down) throw new AnchorSubmitError({ ...ids, message: 'orderer unavailable (injected)' });
    const outcomes = await this.#inner.anchorBatch(records);
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      throw new AnchorCommitError({ ...ids, message: 'commit status unknown (injected after the commit)' });
    }
    return outcomes;
  }

  anchor = (r: EvidenceRecord) => this.#inner.anchor(r);
  get = (id: string) => this.#inner.get(id);
  head: Ledger['head'] = (s) => this.#inner.head(s);
  history: Ledger['history'] = (s) => this.#inner.history(s);
  query: Ledger['query'] = (q) => this.#inner.query(q);
  getPolicy: Ledger['getPolicy'] = () => this.#inner.getPolicy();
  setPolicy: Ledger['setPolicy'] = (p) => this.#inner.setPolicy(p);
  blockOf: Ledger['blockOf'] = (t) => this.#inner.blockOf(t);
  info: Ledger['info'] = () => this.#inner.info();
  events: Ledger['events'] = (r) => this.#inner.events(r);
  close = () => this.#inner.close();
}
