import type { Command } from '../command.ts';
import { ExitCode } from '../command.ts';
import { startService } from '../../service.ts';

export const start: Command = {
  name: 'start',
  summary: 'run the service: embedded PostgreSQL (or DATABASE_URL), ledger, PKI endpoints, pages',
  usage: '',
  async run({ config, log, stdout }) {
    const service = await startService(config, log, stdout);
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        log.info(`${signal}: stopping`);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await service.stop();
    log.info('stopped');
    return ExitCode.ok;
  },
};
