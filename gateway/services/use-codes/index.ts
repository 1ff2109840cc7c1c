/** 用证码: holders' use codes for their licences, and what presenting one releases. Other folders import only this file. */
export {
  UseCodeService,
  MAX_USE_CODE_DAYS,
  type MintedUseCode,
  type MintUseCodeInput,
  type PresentUseCodeInput,
  type LiveUseCode,
  type UseCodeInfo,
  type UseCodePresentation,
  type UseCodePresentationInfo,
  type UseCodeServiceOptions,
  type UseCodeState,
} from './use-code-service.ts';
export { UseCodeRateLimitedError, UseCodeRefusedError } from './errors.ts';
export { displayUseCode, parseUseCode, USE_CODE_STANDARD } from './code-format.ts';
