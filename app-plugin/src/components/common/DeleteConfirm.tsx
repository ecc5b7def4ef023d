import React, { ReactNode, useState } from 'react';
import { ConfirmModal } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { t } from '../../i18n';

interface Props {
  title: string;
  body: ReactNode;
  confirmText?: string;
  /** Does the deletion; a failure keeps the dialog open with the reason. */
  onConfirm: () => Promise<void>;
  /** Called after a successful deletion (`true`) or on cancel (`false`). */
  onClose: (done: boolean) => void;
}

/** "Delete …?" with the collector's refusal shown in place instead of a silent failure. */
export function DeleteConfirm({ title, body, confirmText, onConfirm, onClose }: Props) {
  const [error, setError] = useState<string>();
  return (
    <ConfirmModal
      isOpen
      title={title}
      body={body}
      description={error}
      confirmText={confirmText ?? t('action.delete')}
      dismissText={t('action.cancel')}
      onConfirm={async () => {
        try {
          await onConfirm();
          onClose(true);
        } catch (err) {
          setError(t('error.actionFailed', { detail: describeError(err).message }));
        }
      }}
      onDismiss={() => onClose(false)}
    />
  );
}
