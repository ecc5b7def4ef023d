import React, { ReactNode } from 'react';

import type { Loaded } from '../../utils/useLoad';
import { LoadError, Loading } from './States';

interface Props<T> {
  state: Loaded<T>;
  /** What to show for a loaded value that holds nothing (checked with `isEmpty`). */
  empty?: ReactNode;
  /** By default: an empty array. */
  isEmpty?: (value: T) => boolean;
  /** Retry after a failed load; by default the state's own reload. */
  onRetry?: () => void;
  children: (value: T) => ReactNode;
}

const emptyArray = (value: unknown) => Array.isArray(value) && value.length === 0;

/** A loaded section's four states: the failure with a retry, loading, nothing there, or the content. */
export function Loadable<T>({ state, empty, isEmpty = emptyArray, onRetry, children }: Props<T>) {
  if (state.error) {
    return <LoadError error={state.error} onRetry={onRetry ?? state.reload} />;
  }
  if (!state.value) {
    return <Loading />;
  }
  if (empty !== undefined && isEmpty(state.value)) {
    return <>{empty}</>;
  }
  return <>{children(state.value)}</>;
}
