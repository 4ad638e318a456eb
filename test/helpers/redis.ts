import net from 'node:net';

/** Whether a Redis answers at its standard loopback port (tests that need one skip, saying so, when not). */
export const redisAvailable = (): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(6379, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
