import { DependencyList, useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  loading: boolean;
  error?: unknown;
  /** The latest value; kept while a reload runs, so the page does not flash. */
  value?: T;
  /** Loads again (after a change). */
  reload: () => void;
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Runs `load` when `deps` change (compared like React's own dependency lists) and on `reload()`. Each
 * run has its own identity (`run`): an answer is stored with the run it belongs to, so a slow earlier
 * request never passes for a newer one, and "loading" is simply "no answer for the current run yet".
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [run, setRun] = useState<{ deps: DependencyList }>(() => ({ deps }));
  // New deps start a new run, decided during render (React's pattern for state derived from props).
  if (!sameDeps(run.deps, deps)) {
    setRun({ deps });
  }
  const [state, setState] = useState<{ run?: object; error?: unknown; value?: T }>({});

  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ run, value }),
      (error: unknown) => current && setState((s) => ({ run, error, value: s.value }))
    );
    return () => {
      current = false;
    };
    // `load` is recreated every render; `run` says when it means something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run]);

  const reload = useCallback(() => setRun((r) => ({ deps: r.deps })), []);
  const settled = state.run === run;
  return { loading: !settled, error: settled ? state.error : undefined, value: state.value, reload };
}
