export {
  ZhengyinError,
  InvalidInputError,
  InvalidCodeError,
  NotFoundError,
  ForbiddenError,
  ConfigurationError,
  isZhengyinError,
  isInputErrorCode,
} from './errors.ts';
export { sha256Hex, sha256 } from './digest.ts';
export { undoPredictor, type PredictorParms } from './predictor.ts';
export { lockCovers, isLockAction, type FieldLock } from './field-lock.ts';
export { packageRoot } from './package-root.ts';
export { resolveOfdPath } from './ofd-path.ts';
export { parseOfdXml, decodeOfdXml, xmlChildren, xmlText, xmlAttribute, type XmlNode, type OfdXmlResult } from './ofd-xml-parser.ts';
