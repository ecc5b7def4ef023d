import React, { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Checkbox, Stack, Text } from '@grafana/ui';

import { api } from '../../api/client';
import type { Connection } from '../../api/types';
import { DeleteConfirm } from '../../components/common/DeleteConfirm';
import { Page } from '../../components/common/Page';
import { Empty, LoadError, Loading } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';
import { ConnectionCard } from './ConnectionCard';
import { SyncHistory } from './SyncHistory';
import { ConnectionWizard } from './wizard/ConnectionWizard';

type Dialog =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'edit'; connection: Connection }
  | { kind: 'history'; connection: Connection }
  | { kind: 'delete'; connection: Connection };

function DeleteDialog({ connection, onDone }: { connection: Connection; onDone: (changed: boolean) => void }) {
  const [purge, setPurge] = useState(false);
  return (
    <DeleteConfirm
      title={t('connections.delete.title', { name: connection.name })}
      body={
        <Stack direction="column" gap={2}>
          <Text>{t('connections.delete.body')}</Text>
          <Checkbox
            label={t('connections.delete.purge')}
            value={purge}
            onChange={(e) => setPurge(e.currentTarget.checked)}
          />
        </Stack>
      }
      onConfirm={() => api.deleteConnection(connection.id, purge)}
      onClose={onDone}
    />
  );
}

/**
 * Cloud accounts: everyone sees their state and history; admins add, edit, test, sync and delete.
 * `?add=1` opens the wizard (the overview's "add provider" tile), `?connection=<id>` lists that one first.
 */
function Connections() {
  const [params, setParams] = useSearchParams();
  const canManage = useCanWrite('Admin');
  const connections = useLoad(() => api.connections(), []);
  const providers = useLoad(() => api.providers(), []);
  const [dialog, setDialog] = useState<Dialog>(() =>
    params.get('add') === '1' && canManage ? { kind: 'create' } : { kind: 'none' }
  );
  const reload = connections.reload;
  const focus = params.get('connection');

  const close = useCallback(
    (changed: boolean) => {
      setDialog({ kind: 'none' });
      if (params.has('add')) {
        params.delete('add');
        setParams(params, { replace: true });
      }
      if (changed) {
        reload();
      }
    },
    [params, setParams, reload]
  );

  const syncsOf = (c: Connection) =>
    providers.value?.find((p) => p.provider === c.provider)?.syncs ?? c.provider !== 'focus';
  const list = [...(connections.value ?? [])].sort((a, b) => Number(b.id === focus) - Number(a.id === focus));

  const addButton = canManage && (
    <Button
      icon="plus"
      onClick={() => setDialog({ kind: 'create' })}
      disabled={!providers.value}
      data-testid={testIds.connections.add}
    >
      {t('connections.add')}
    </Button>
  );

  return (
    <Page
      title={t('page.connections')}
      testId={testIds.connections.container}
      subTitle={t('connections.subtitle')}
      actions={addButton || undefined}
    >
      {connections.error ? (
        <LoadError error={connections.error} onRetry={reload} />
      ) : !connections.value ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty
          message={canManage ? t('connections.empty') : t('connections.emptyViewer')}
          button={addButton || undefined}
        />
      ) : (
        <Stack direction="column" gap={2}>
          {list.map((c) => (
            <ConnectionCard
              key={c.id}
              connection={c}
              canManage={canManage}
              syncs={syncsOf(c)}
              onEdit={() => setDialog({ kind: 'edit', connection: c })}
              onDelete={() => setDialog({ kind: 'delete', connection: c })}
              onHistory={() => setDialog({ kind: 'history', connection: c })}
              onChanged={reload}
            />
          ))}
        </Stack>
      )}
      {Boolean(providers.error) && canManage && <LoadError error={providers.error} onRetry={providers.reload} />}
      {dialog.kind === 'create' && providers.value && (
        <ConnectionWizard mode="create" providers={providers.value} onClose={close} />
      )}
      {dialog.kind === 'edit' && providers.value && (
        <ConnectionWizard mode="edit" connection={dialog.connection} providers={providers.value} onClose={close} />
      )}
      {dialog.kind === 'history' && <SyncHistory connection={dialog.connection} onClose={() => close(false)} />}
      {dialog.kind === 'delete' && <DeleteDialog connection={dialog.connection} onDone={close} />}
    </Page>
  );
}

export default Connections;
