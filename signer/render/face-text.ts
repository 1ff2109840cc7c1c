import { chineseDate } from '../licence/dates.ts';
import type { FaceField } from '../licence/licence-type.ts';

/** How a face value is printed: dates as 'YYYY年MM月DD日', amounts and quantities with their unit. */
export function faceText(field: FaceField, value: string): string {
  switch (field.kind) {
    case 'date':
      return chineseDate(value);
    case 'money':
      return `${value}${field.unit}`;
    case 'number':
      return `${value}${field.unit ?? ''}`;
    default:
      return value;
  }
}
