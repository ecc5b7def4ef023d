import React, { ReactNode } from 'react';
import { Alert, Button, ButtonVariant, Modal } from '@grafana/ui';

import { t } from '../../i18n';

interface Props {
  title: string;
  children: ReactNode;
  submitLabel: string;
  onSubmit: () => void;
  onDismiss: () => void;
  busy?: boolean;
  /** A failure to show above the buttons (the collector's reason). */
  error?: string;
  submitVariant?: ButtonVariant;
  submitTestId?: string;
  /** More buttons between Cancel and the submit button (e.g. Preview). */
  extraButtons?: ReactNode;
}

/** A form in a modal: fields, an error line, Cancel and the submit button. */
export function FormModal(props: Props) {
  const { title, children, submitLabel, onSubmit, onDismiss, busy, error, submitVariant, submitTestId, extraButtons } =
    props;
  return (
    <Modal title={title} isOpen onDismiss={onDismiss}>
      {children}
      {error && <Alert severity="error" title={error} />}
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onDismiss}>
          {t('action.cancel')}
        </Button>
        {extraButtons}
        <Button variant={submitVariant ?? 'primary'} onClick={onSubmit} disabled={busy} data-testid={submitTestId}>
          {submitLabel}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}
