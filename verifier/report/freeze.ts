/** Deep-freezes a report before it leaves the verifier. */
export function freeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    if (Array.isArray(o)) for (const v of o) freeze(v);
    else for (const k in o) freeze(o[k]);
  }
  return o;
}
