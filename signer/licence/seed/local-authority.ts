/**
 * The defining authority of zhengyin's seeded licence types: a made-up, obviously local
 * 统一社会信用代码. National licence types carry the national defining authority's code
 * (e.g. 营业执照 under the State Administration for Market Regulation); these do NOT: they
 * exist so that a fresh installation can issue demo licences. Its check character is valid
 * (GB 32100-2015), so identifiers built on it validate, and its 主体标识码 99999999-8 is a
 * valid GB 11714 code that no real organisation holds. Type numbers 9xx mark local types.
 */
export const LOCAL_DEFINING_AUTHORITY = '11350200999999998J';

/** 证照类型代码 of a local type: the local authority's code + a 9xx number. */
export const localTypeCode = (n: 901 | 902 | 903): string => `${LOCAL_DEFINING_AUTHORITY}${n}`;
