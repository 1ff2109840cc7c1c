// Types of bin/dist.mjs, for the tests that import it.
export declare const root: string;
export declare const distDir: string;
export declare const stampFile: string;
export declare function chooseCode(env?: NodeJS.ProcessEnv, dir?: string): { run: 'dist' | 'tsx'; why: string };
