import React from 'react';
import { Alert } from '@grafana/ui';

/** The outcome of the last action: success or the collector's reason for a failure. */
export interface NoticeState {
  ok: boolean;
  text: string;
}

/** Shows a notice until the user closes it (`onRemove` clears it). */
export function Notice({
  notice,
  onRemove,
  testId,
}: {
  notice: NoticeState | undefined;
  onRemove: () => void;
  testId?: string;
}) {
  if (!notice) {
    return null;
  }
  return (
    <Alert severity={notice.ok ? 'success' : 'error'} title={notice.text} onRemove={onRemove} data-testid={testId} />
  );
}
