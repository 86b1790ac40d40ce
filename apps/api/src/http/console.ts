import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ErrorBody } from './error.filter';

/** The web console's mount point: static files, public (they hold no data); every API call they make carries a key. */
export const CONSOLE_PATH = '/app';

/** The repository root (the folder of package.json), from here in the sources or in dist/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** Where `npm run build` writes the console (apps/console/build.mjs). */
export function consoleDir(): string {
  return join(projectRoot(), 'dist', 'console');
}

/**
 * Serves the built console at /app (ADR 0077), before the guarded routes: `index.html` is never cached (it names
 * the current assets), the hashed assets are immutable for a year. Not built: 503 with the command that builds it.
 */
export function serveConsole(app: NestExpressApplication, dir = consoleDir()): void {
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (existsSync(join(dir, 'index.html'))) return next();
    const body: ErrorBody = { code: 'CONSOLE_NOT_BUILT', message: 'The web console is not built: run `npm run build`', details: { field: 'path', path: req.originalUrl.slice(0, 200) } };
    res.status(503).json(body);
  });
  app.useStaticAssets(dir, {
    prefix: CONSOLE_PATH,
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('Cache-Control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
}
