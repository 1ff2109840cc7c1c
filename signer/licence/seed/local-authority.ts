import authorities from '../../../catalogue/authorities.json' with { type: 'json' };

/**
 * The defining authority of zhengyin's seeded licence types, as `catalogue/authorities.json`
 * lists it: a made-up, obviously local 统一社会信用代码 with a valid check character
 * (GB 32100-2015), whose type numbers 9xx mark local types. National licence types carry
 * the national defining authority's code instead.
 */
export const LOCAL_DEFINING_AUTHORITY: string = authorities.authorities.find((a) => a.local)!.code;
