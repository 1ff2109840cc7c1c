import type { Command } from '../command.ts';
import { start } from './start.ts';
import { verify } from './verify.ts';

/** Every CLI command, in the order `zhengyin help` lists them. */
export const commands: readonly Command[] = [start, verify];
