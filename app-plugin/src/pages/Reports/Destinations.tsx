import React, { useState } from 'react';
import { Badge, Button, ConfirmModal, Stack, Text, useStyles2 } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { Notice, NoticeState } from '../../components/common/Notice';
import { EditDeleteButtons } from '../../components/common/RowActions';
import { Empty } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { Destination, DestinationInput, DestinationKind, reportsApi } from './api';
import { DestinationEditor } from './DestinationEditor';
import { tr } from './strings';
import { reportTestIds } from './testIds';

function target(d: Destination): string {
  if (d.kind === 'telegram') {
    return String(d.settings.chatId ?? '');
  }
  const to = Array.isArray(d.settings.to) ? d.settings.to.join(', ') : '';
  return `${to} (${String(d.settings.host ?? '')}:${String(d.settings.port ?? '')})`;
}

type Dialog = { kind: 'edit'; destination?: Destination } | { kind: 'delete'; destination: Destination } | undefined;

/** Telegram chats and mailboxes reports go to: create, change, test, delete. */
export function Destinations({
  items,
  canEdit,
  onChanged,
}: {
  items: Destination[];
  canEdit: boolean;
  onChanged: () => void;
}) {
  const s = useStyles2(getTableStyles);
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<NoticeState>();

  const save = async (kind: DestinationKind, body: DestinationInput) => {
    const current = dialog?.kind === 'edit' ? dialog.destination : undefined;
    if (current) {
      const { kind: _kind, secrets, ...rest } = body;
      await reportsApi.updateDestination(current.id, Object.keys(secrets).length ? { ...rest, secrets } : rest);
    } else {
      await reportsApi.createDestination({ ...body, kind });
    }
    setDialog(undefined);
    onChanged();
  };
  const test = (d: Destination) => {
    setNotice(undefined);
    reportsApi.testDestination(d.id).then(
      (r) => setNotice({ ok: r.ok, text: r.ok ? tr('dest.testOk') : tr('dest.testFailed', { detail: r.message }) }),
      (err) => setNotice({ ok: false, text: tr('dest.testFailed', { detail: describeError(err).message }) })
    );
  };
  const remove = (d: Destination) =>
    reportsApi.removeDestination(d.id).then(
      () => {
        setDialog(undefined);
        onChanged();
      },
      (err) => setNotice({ ok: false, text: tr('reports.actionFailed', { detail: describeError(err).message }) })
    );

  return (
    <Stack direction="column" gap={2}>
      {canEdit && (
        <div>
          <Button icon="plus" onClick={() => setDialog({ kind: 'edit' })} data-testid={reportTestIds.destinationAdd}>
            {tr('dest.add')}
          </Button>
        </div>
      )}
      <Notice notice={notice} onRemove={() => setNotice(undefined)} testId={reportTestIds.notice} />
      {items.length === 0 ? (
        <Empty compact message={tr('dest.empty')} />
      ) : (
        <table className={s.table}>
          <thead>
            <tr>
              <th>{tr('dest.col.name')}</th>
              <th>{tr('dest.col.kind')}</th>
              <th>{tr('dest.col.target')}</th>
              {canEdit && <th>{tr('reports.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid={reportTestIds.destinationRow}>
                <td>
                  <Text weight="medium">{d.name}</Text>
                </td>
                <td>
                  <Badge color={d.kind === 'telegram' ? 'blue' : 'purple'} text={tr(`dest.kind.${d.kind}`)} />
                </td>
                <td>
                  <div>{target(d)}</div>
                  {d.secretFields.length > 0 && (
                    <Text color="secondary" variant="bodySmall">
                      {tr('dest.secretSet', { fields: d.secretFields.join(', ') })}
                    </Text>
                  )}
                </td>
                {canEdit && (
                  <td>
                    <Stack gap={1}>
                      <Button
                        size="sm"
                        variant="secondary"
                        icon="message"
                        data-testid={reportTestIds.destinationTest}
                        onClick={() => test(d)}
                      >
                        {tr('dest.test')}
                      </Button>
                      <EditDeleteButtons
                        editLabel={tr('reports.edit')}
                        deleteLabel={tr('reports.delete')}
                        onEdit={() => setDialog({ kind: 'edit', destination: d })}
                        onDelete={() => setDialog({ kind: 'delete', destination: d })}
                      />
                    </Stack>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'edit' && (
        <DestinationEditor destination={dialog.destination} onSave={save} onDismiss={() => setDialog(undefined)} />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          isOpen
          title={tr('dest.delete.title', { name: dialog.destination.name })}
          body={tr('dest.delete.body')}
          confirmText={tr('reports.delete')}
          onConfirm={() => remove(dialog.destination)}
          onDismiss={() => setDialog(undefined)}
        />
      )}
    </Stack>
  );
}
