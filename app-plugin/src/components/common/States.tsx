import React from 'react';
import { Alert, Button, EmptyState, LoadingPlaceholder, Stack } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { t } from '../../i18n';
import { testIds } from '../testIds';

export function Loading({ text }: { text?: string }) {
  return <LoadingPlaceholder text={text ?? t('state.loading')} data-testid={testIds.common.loading} />;
}

/** A failed load: the collector's reason in the user's language and a retry. */
export function LoadError({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <Alert severity="error" title={title ?? t('state.errorTitle')} data-testid={testIds.common.error}>
      <Stack direction="column" gap={1} alignItems="flex-start">
        <div>{describeError(error).message}</div>
        {onRetry && (
          <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
            {t('action.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Nothing to show. `compact` leaves out the illustration, for sections inside a page. */
export function Empty({ message, button, compact }: { message: string; button?: React.ReactNode; compact?: boolean }) {
  return (
    <div data-testid={testIds.common.empty}>
      <EmptyState variant="call-to-action" message={message} button={button} hideImage={compact} />
    </div>
  );
}
