import React, { useState } from 'react';
import { Alert, Button, ClipboardButton, Input, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { ApiToken, CreatedToken } from '../../api/types';
import { DeleteConfirm } from '../../components/common/DeleteConfirm';
import { FormModal } from '../../components/common/FormModal';
import { Loadable } from '../../components/common/Loadable';
import { Empty } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { TextField } from '../../components/common/TextField';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatDate, formatDateTime } from '../../utils/format';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';

/** End of the chosen day in local time, which must be in the future. */
export function expiryOf(day: string, now: Date = new Date()): { iso?: string; error?: string } {
  if (!day) {
    return {};
  }
  const end = new Date(`${day}T23:59:59`);
  return Number.isNaN(end.getTime()) || end <= now ? { error: t('tokens.expires.past') } : { iso: end.toISOString() };
}

function stateOf(token: ApiToken, now = Date.now()): string {
  if (token.revokedAt) {
    return t('tokens.revoked', { date: formatDate(token.revokedAt) });
  }
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) {
    return t('tokens.expired');
  }
  return t('tokens.active');
}

function CreateTokenModal({
  onCreated,
  onDismiss,
}: {
  onCreated: (token: CreatedToken) => void;
  onDismiss: () => void;
}) {
  const [name, setName] = useState('');
  const [day, setDay] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const expiry = expiryOf(day);
    const found: Record<string, string> = {};
    if (!name.trim()) {
      found.name = t('form.required');
    } else if (name.trim().length > 100) {
      found.name = t('form.tooLong', { max: 100 });
    }
    if (expiry.error) {
      found.expires = expiry.error;
    }
    setErrors(found);
    if (Object.keys(found).length) {
      return;
    }
    setBusy(true);
    try {
      onCreated(await api.createToken({ name: name.trim(), ...(expiry.iso ? { expiresAt: expiry.iso } : {}) }));
    } catch (err) {
      setError(t('error.actionFailed', { detail: describeError(err).message }));
      setBusy(false);
    }
  };

  return (
    <FormModal
      title={t('tokens.create')}
      submitLabel={t('action.create')}
      submitTestId={testIds.admin.tokenCreate}
      busy={busy}
      error={error}
      onSubmit={submit}
      onDismiss={onDismiss}
    >
      <TextField
        label={t('tokens.name')}
        description={t('tokens.name.help')}
        required
        error={errors.name}
        id="token-name"
        testId={testIds.admin.tokenName}
        value={name}
        onChange={setName}
      />
      <TextField
        label={t('tokens.expires')}
        error={errors.expires}
        id="token-expires"
        type="date"
        width={24}
        value={day}
        onChange={setDay}
      />
    </FormModal>
  );
}

/** API tokens: list, create (the secret is shown once), revoke. */
export function Tokens() {
  const s = useStyles2(getTableStyles);
  const canWrite = useCanWrite('Admin');
  const tokens = useLoad(() => api.tokens(), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken>();
  const [revoking, setRevoking] = useState<ApiToken>();
  return (
    <div data-testid={testIds.admin.tokens}>
      <Stack direction="column" gap={2}>
        <Text color="secondary">{t('tokens.help')}</Text>
        {canWrite && (
          <div>
            <Button icon="plus" onClick={() => setCreating(true)}>
              {t('tokens.create')}
            </Button>
          </div>
        )}
        {created && (
          <Alert
            severity="success"
            title={t('tokens.created', { name: created.name })}
            onRemove={() => setCreated(undefined)}
          >
            <Stack gap={1}>
              <Input readOnly value={created.token} data-testid={testIds.admin.tokenShown} width={70} />
              <ClipboardButton icon="copy" getText={() => created.token}>
                {t('tokens.copy')}
              </ClipboardButton>
            </Stack>
          </Alert>
        )}
        <Loadable state={tokens} empty={<Empty compact message={t('tokens.empty')} />}>
          {(list) => (
            <table className={s.table}>
              <thead>
                <tr>
                  <th>{t('tokens.col.name')}</th>
                  <th>{t('tokens.col.prefix')}</th>
                  <th>{t('tokens.col.created')}</th>
                  <th>{t('tokens.col.lastUsed')}</th>
                  <th>{t('tokens.col.expires')}</th>
                  <th>{t('tokens.col.state')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>
                      {formatDateTime(token.createdAt)}
                      {token.createdBy ? ` · ${token.createdBy}` : ''}
                    </td>
                    <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.never')}</td>
                    <td>{token.expiresAt ? formatDate(token.expiresAt) : '—'}</td>
                    <td>{stateOf(token)}</td>
                    <td>
                      {canWrite && !token.revokedAt && (
                        <Button
                          size="sm"
                          variant="destructive"
                          fill="outline"
                          onClick={() => setRevoking(token)}
                          data-testid={testIds.admin.tokenRevoke}
                        >
                          {t('tokens.revoke')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loadable>
      </Stack>
      {creating && (
        <CreateTokenModal
          onDismiss={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            tokens.reload();
          }}
        />
      )}
      {revoking && (
        <DeleteConfirm
          title={t('tokens.revoke.title', { name: revoking.name })}
          body={t('tokens.revoke.body')}
          confirmText={t('tokens.revoke')}
          onConfirm={() => api.revokeToken(revoking.id)}
          onClose={(done) => {
            setRevoking(undefined);
            if (done) {
              tokens.reload();
            }
          }}
        />
      )}
    </div>
  );
}
