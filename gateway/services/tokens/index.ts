export { TokenService, type ApiTokenInfo, type MintTokenInput, type TokenActor, type TokenServiceOptions } from './token-service.ts';
export { TokenRefusedError } from './errors.ts';
