import type { Response } from 'express';
import { logForRequest } from './observability';

/**
 * Writes `first` and the rest of `chunks` with backpressure (waits for `drain` when the socket's buffer is full),
 * then ends the response; stops reading when the client goes away. The status and headers are already set: a
 * failure now cannot become an error answer, so the connection is cut (the client sees a truncated body) and logged.
 */
export async function writeChunks(res: Response, first: IteratorResult<string>, chunks: AsyncIterator<string>): Promise<void> {
  try {
    for (let next = first; !next.done; next = await chunks.next()) {
      if (res.destroyed) break; // the client went away: stop reading pages
      if (!res.write(next.value)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    if (res.destroyed) await chunks.return?.(undefined);
    else res.end();
  } catch (error) {
    logForRequest(res.req, 'error', 'StreamedResponse', `Streamed response cut after its headers: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
