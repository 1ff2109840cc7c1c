/** Annotated copies (加注件) signed by the installation. Other folders import only this file. */
export { AnnotatedCopies, type AnnotatedCopiesOptions } from './annotated-copies.ts';
export { storedOriginal, type CopyFormat } from './stored-original.ts';
