import { InvalidInputError } from '../../common/index.ts';
import { addToDate, isIsoDate, LONG_TERM } from './dates.ts';
import type { FaceData } from './face-data.ts';
import type { ValidityRule } from './licence-type.ts';

/** 有效期起始日期 / 有效期截止日期 (GB/T 36903). */
export interface ValidityPeriod {
  /** First valid day, 'YYYY-MM-DD'. */
  readonly validFrom: string;
  /** Last valid day, 'YYYY-MM-DD', or `null` for 长期 (long-term). */
  readonly validUntil: string | null;
}

/**
 * The validity period of a licence issued on `issueDate` under `rule`.
 *
 * - `fixedTerm` { years: 5 } from 2024-03-15 lasts to 2029-03-15; { months: 1 } from
 *   2024-01-31 to 2024-02-29 (民法典 §201-202).
 * - `untilField` reads the date in that face field; '长期' there gives `validUntil: null`.
 * - `longTerm` gives `validUntil: null`.
 *
 * @throws `InvalidInputError` (field `issueDate` or the rule's field) when a date is missing
 * or the period would end before it starts.
 */
export function validityPeriod(rule: ValidityRule, issueDate: string, face: FaceData): ValidityPeriod {
  if (!isIsoDate(issueDate)) throw new InvalidInputError({ field: 'issueDate', message: `issueDate: '${issueDate}' is not a date YYYY-MM-DD` });
  switch (rule.kind) {
    case 'longTerm':
      return { validFrom: issueDate, validUntil: null };
    case 'fixedTerm':
      // 民法典 §201-202: the issue day is not counted, and the period ends on the corresponding
      // day of the last month, or on that month's last day when it has no such day.
      return { validFrom: issueDate, validUntil: addToDate(issueDate, { years: rule.years, months: rule.months }) };
    case 'untilField': {
      const until = face[rule.field];
      if (until === LONG_TERM) return { validFrom: issueDate, validUntil: null };
      if (until === undefined || !isIsoDate(until))
        throw new InvalidInputError({ field: rule.field, message: `${rule.field}: the validity end date is missing or not a date` });
      if (until < issueDate)
        throw new InvalidInputError({ field: rule.field, message: `${rule.field}: validity ends ${until}, before the issue date ${issueDate}` });
      return { validFrom: issueDate, validUntil: until };
    }
  }
}
