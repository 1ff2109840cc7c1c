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
export { documentFormatOf } from './document-format.ts';
// common/ofd-xml-parser.ts is imported by path, not from here: it loads fast-xml-parser, and
// everything that imports this file (the CLI's help included) would load it too.
