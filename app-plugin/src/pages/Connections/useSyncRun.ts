import { useCallback, useEffect, useRef, useState } from 'react';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Snapshot } from '../../api/types';

export type SyncRun =
  | { state: 'idle' }
  | { state: 'starting' }
  | { state: 'running'; snapshot?: Snapshot }
  | { state: 'finished'; snapshot: Snapshot }
  | { state: 'failed'; message: string; conflict?: boolean };

const ACTIVE = new Set(['running', 'queued']);
export const POLL_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * "Sync now" with live progress: starts the sync (202 + snapshot id), then follows the snapshot's
 * phases until it ends. Following stops when the component unmounts.
 */
export function useSyncRun(connectionId: string, onFinished: () => void, pollMs = POLL_MS) {
  const [run, setRun] = useState<SyncRun>({ state: 'idle' });
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const start = useCallback(async () => {
    setRun({ state: 'starting' });
    try {
      const { snapshotId } = await api.syncConnection(connectionId);
      setRun({ state: 'running' });
      while (alive.current) {
        // Progress only: the resource states are read in the history view.
        const snapshot = await api.snapshot(snapshotId, { statesLimit: 0 });
        if (!alive.current) {
          return;
        }
        if (!ACTIVE.has(snapshot.status)) {
          setRun({ state: 'finished', snapshot });
          onFinished();
          return;
        }
        setRun({ state: 'running', snapshot });
        await sleep(pollMs);
      }
    } catch (err) {
      if (alive.current) {
        const info = describeError(err);
        setRun({ state: 'failed', message: info.message, conflict: info.status === 409 });
      }
    }
  }, [connectionId, onFinished, pollMs]);

  return { run, start };
}
