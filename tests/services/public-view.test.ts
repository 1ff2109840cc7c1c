import { describe, expect, it } from 'vitest';
import { isPageToken, maskHolder, newPageToken } from '../../gateway/services/licences/public-view.ts';

describe('what a status page shows of a holder (姓名脱敏)', () => {
  it.each([
    ['a two-character name', '张三', '111', '张*'],
    ['a three-character name', '林美华', '111', '林**'],
    ['a long name with a middle dot (issue #9)', '阿卜杜热合曼·买买提', '111', '阿*********'],
    ['a one-character name', '王', '111', '王*'],
    ['an organisation', '厦门鹭岛数字科技有限公司', '001', '厦门鹭岛数字科技有限公司'],
    ['an unknown code type, masked as a person', '李四', '999', '李*'],
  ])('%s', (_name, holder, codeType, shown) => {
    expect(maskHolder(holder, codeType)).toBe(shown);
  });
});

describe('page tokens', () => {
  it('are 128 random bits in base64url, never twice the same', () => {
    const tokens = Array.from({ length: 1000 }, newPageToken);
    expect(tokens.every(isPageToken)).toBe(true);
    expect(Buffer.from(tokens[0]!, 'base64url')).toHaveLength(16);
    expect(new Set(tokens).size).toBe(1000);
    expect(isPageToken('1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F')).toBe(false);
  });
});
