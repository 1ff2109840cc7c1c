/** Calendar dates as 'YYYY-MM-DD' strings: what GB/T 36903 dates are, free of time zones. */

/** '长期' — long-term validity (no end date). */
export const LONG_TERM = '长期';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True if `value` is 'YYYY-MM-DD' and a real calendar date. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Adds years, months and days to a 'YYYY-MM-DD' date; the 31st plus a month clamps to the month's end. */
export function addToDate(date: string, p: { years?: number; months?: number; days?: number }): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const totalMonths = (m - 1) + (p.months ?? 0) + 12 * (p.years ?? 0);
  const ty = y + Math.floor(totalMonths / 12);
  const tm = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  const t = new Date(Date.UTC(ty, tm, Math.min(d, lastDay)) + (p.days ?? 0) * 86_400_000);
  return t.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → 'YYYY年MM月DD日', the form printed on licences; '长期' stays. */
export function chineseDate(date: string): string {
  if (date === LONG_TERM) return date;
  const [y, m, d] = date.split('-');
  return `${y}年${m}月${d}日`;
}

/**
 * The calendar date of an instant in a time zone given as minutes east of UTC, 'YYYY-MM-DD'.
 * Defaults to China Standard Time (UTC+8), where licences are dated.
 */
export const isoDateOf = (at: Date, utcOffsetMinutes = 480): string =>
  new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
