import { parseArgs } from 'node:util';
import { isInputErrorCode, isZhengyinError } from '../../common/index.ts';
import { readConfig } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { ExitCode, UsageError, type Command } from './command.ts';
import { commandModules } from './commands/index.ts';

/** Runs `zhengyin <command> …` and resolves to the exit code; never throws. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const found = await findCommand(argv);
  if (!found) {
    const asked = argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h';
    (asked ? out : process.stderr).write(await help());
    return asked ? ExitCode.ok : ExitCode.usage;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    out.write(`usage: zhengyin ${command.name} ${command.usage}\n\n${command.summary}\n`);
    return ExitCode.ok;
  }
  let config;
  try {
    config = readConfig();
  } catch (e) {
    return report(e);
  }
  const log = createLogger({ json: config.logJson });
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: command.options ?? {},
      allowPositionals: (command.positionals?.max ?? 0) > 0,
      strict: true,
    });
    const { min = 0, max = 0 } = command.positionals ?? {};
    if (positionals.length < min || positionals.length > max) {
      throw new UsageError(`expected ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument(s)`);
    }
    return await command.run({ values, positionals, config, log, stdout: out });
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`zhengyin ${command.name}: ${(e as Error).message}\nusage: zhengyin ${command.name} ${command.usage}\n`);
      return ExitCode.usage;
    }
    return report(e);
  }
}

function report(e: unknown): number {
  if (isZhengyinError(e)) {
    process.stderr.write(`error [${e.code}]: ${e.message}\n`);
    return isInputErrorCode(e.code) ? ExitCode.badInput : ExitCode.failure;
  }
  process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
  return ExitCode.failure;
}

/** The command `argv` names, loading only its noun's file. */
async function findCommand(argv: readonly string[]): Promise<{ command: Command; rest: readonly string[] } | undefined> {
  const load = argv[0] !== undefined && Object.hasOwn(commandModules, argv[0]) ? commandModules[argv[0]] : undefined;
  if (!load) return undefined;
  const { commands } = await load();
  const two = commands.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = commands.find((c) => c.name === argv[0]);
  return one ? { command: one, rest: argv.slice(1) } : undefined;
}

async function help(): Promise<string> {
  const commands = (await Promise.all(Object.values(commandModules).map((load) => load()))).flatMap((m) => m.commands);
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'zhengyin — electronic licences, seals, signature verification and evidence ledger',
    '',
    'usage: zhengyin <command> [options]    (zhengyin <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}
