/** The seal registry (GB/T 38540). Other folders import only this file. */
export { SealService, type NewSeal, type OfdSealPlacement, type Seal, type SealPlacement, type SealServiceOptions, type SealState } from './seal-service.ts';
export { placeSeal, type AskedPlacement } from './placement.ts';
