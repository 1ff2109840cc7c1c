import { ExitCode, type Command } from '../command.ts';

export const start: Command = {
  name: 'start',
  summary: 'run the service: embedded PostgreSQL (or DATABASE_URL), ledger, PKI endpoints, pages',
  usage: '',
  async run({ config, log, stdout }) {
    const { startHttpService } = await import('../../http/start-http-service.ts');
    const service = await startHttpService({ config, log, out: stdout });
    let signals = 0;
    await new Promise<void>((resolve) => {
      // Stay subscribed while stopping: a second Ctrl-C must not kill the process halfway
      // through (PostgreSQL would be left running); a third one forces the exit, and the
      // next start adopts the cluster it leaves behind.
      const onSignal = (signal: NodeJS.Signals) => {
        signals++;
        if (signals === 1) {
          log.info(`${signal}: stopping`);
          resolve();
        } else if (signals === 2) {
          log.warn('still stopping (HTTP connections, ledger worker, PostgreSQL); send the signal again to force');
        } else {
          log.warn('forced exit; the next start reuses the PostgreSQL left running');
          process.exit(130);
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await service.stop();
    log.info('stopped');
    return ExitCode.ok;
  },
};

export const commands: readonly Command[] = [start];
