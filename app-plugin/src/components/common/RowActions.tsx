import React from 'react';
import { Button, IconButton, Stack } from '@grafana/ui';

import { t } from '../../i18n';

interface Props {
  onEdit: () => void;
  onDelete: () => void;
  editTestId?: string;
  deleteTestId?: string;
}

/** Edit and delete icons at the end of a table row (budgets, allocation rules). */
export function RowIconActions({ onEdit, onDelete, editTestId, deleteTestId }: Props) {
  return (
    <Stack gap={1}>
      <IconButton name="pen" tooltip={t('action.edit')} onClick={onEdit} data-testid={editTestId} />
      <IconButton name="trash-alt" tooltip={t('action.delete')} onClick={onDelete} data-testid={deleteTestId} />
    </Stack>
  );
}

/** Edit and delete as small labelled buttons (report and destination rows); labels come from the page. */
export function EditDeleteButtons({
  onEdit,
  onDelete,
  editTestId,
  deleteTestId,
  editLabel,
  deleteLabel,
}: Props & { editLabel: string; deleteLabel: string }) {
  return (
    <>
      <Button size="sm" variant="secondary" icon="pen" data-testid={editTestId} onClick={onEdit}>
        {editLabel}
      </Button>
      <Button
        size="sm"
        variant="destructive"
        fill="text"
        icon="trash-alt"
        data-testid={deleteTestId}
        onClick={onDelete}
      >
        {deleteLabel}
      </Button>
    </>
  );
}
