/**
 * A field lock (ISO 32000-1 §12.8.2.4 FieldMDP, §12.7.4.5 /Lock): which form fields a
 * signature forbids to change after it. Read by the verifier (to judge later changes) and
 * the signer (to refuse signing into a locked field).
 */
export interface FieldLock {
  /** All fields, only the named ones, or all but the named ones (§12.8.2.4, Table 256). */
  readonly action: 'All' | 'Include' | 'Exclude';
  readonly fields: readonly string[];
}

/** Whether the lock covers the field `name`; a lock on a non-terminal field covers the fields below it. */
export function lockCovers(lock: FieldLock, name: string): boolean {
  if (lock.action === 'All') return true;
  const named = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
  return lock.action === 'Include' ? named : !named;
}

export const isLockAction = (a: string | undefined): a is FieldLock['action'] => a === 'All' || a === 'Include' || a === 'Exclude';
