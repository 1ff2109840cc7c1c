/** China Standard Time has no daylight saving: dates are UTC+08:00 throughout. */
const CST_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * The end of the `days`-th working day after `from` (China Standard Time), the day of
 * `from` itself when `days` is 0 (即办). Working days are Monday to Friday: the statutory
 * holiday calendar (调休) is published yearly and not modelled here, so the promise may come
 * out a day or two earlier than a holiday-aware one, never later.
 */
export function addWorkingDays(from: Date, days: number): Date {
  let local = Math.floor((from.getTime() + CST_MS) / DAY_MS); // days since epoch in CST
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    local++;
    const weekday = (local + 4) % 7; // 1970-01-01 was a Thursday (4)
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return new Date((local + 1) * DAY_MS - CST_MS - 1);
}
