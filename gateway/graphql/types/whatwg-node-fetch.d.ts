// Types for '@whatwg-node/fetch' (graphql-yoga's fetch layer), mapped in tsconfig.json
// "paths" for the type checker only. The package's own declarations pull in TypeScript's
// DOM library, whose stricter BufferSource and crypto typings would then apply to this
// whole Node project. Our code must not import '@whatwg-node/fetch' itself: tsx applies
// the same mapping at run time.

export interface FormDataLimits {
  fieldNameSize?: number;
  fieldSize?: number;
  fields?: number;
  fileSize?: number;
  files?: number;
  parts?: number;
  headerSize?: number;
}

export interface FetchAPI {
  fetch: typeof globalThis.fetch;
  Request: typeof globalThis.Request;
  Response: typeof globalThis.Response;
  Headers: typeof globalThis.Headers;
  FormData: typeof globalThis.FormData;
  ReadableStream: typeof globalThis.ReadableStream;
  WritableStream: typeof globalThis.WritableStream;
  TransformStream: typeof globalThis.TransformStream;
  Blob: typeof globalThis.Blob;
  File: typeof globalThis.File;
  crypto: typeof globalThis.crypto;
  btoa: typeof globalThis.btoa;
  TextEncoder: typeof globalThis.TextEncoder;
  TextDecoder: typeof globalThis.TextDecoder;
  URL: typeof globalThis.URL;
  URLSearchParams: typeof globalThis.URLSearchParams;
}

export declare const fetch: FetchAPI['fetch'];
export declare const Request: FetchAPI['Request'];
export declare const Response: FetchAPI['Response'];
export declare const Headers: FetchAPI['Headers'];
export declare const FormData: FetchAPI['FormData'];
export declare const ReadableStream: FetchAPI['ReadableStream'];
export declare const Blob: FetchAPI['Blob'];
export declare const File: FetchAPI['File'];
export declare const URL: FetchAPI['URL'];
export declare function createFetch(opts?: { useNodeFetch?: boolean; formDataLimits?: FormDataLimits; skipPonyfill?: boolean }): FetchAPI;
