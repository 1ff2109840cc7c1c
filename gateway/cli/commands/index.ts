import type { Command } from '../command.ts';
import { start } from './start.ts';

/** Every CLI command, in the order `zhengyin help` lists them. */
export const commands: readonly Command[] = [start];
