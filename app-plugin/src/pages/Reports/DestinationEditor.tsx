import React, { useState } from 'react';
import { Alert, Button, Combobox, Field, Input, Modal, RadioButtonGroup, Stack } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { Destination, DestinationInput, DestinationKind } from './api';
import { tr } from './strings';
import { reportTestIds } from './testIds';

type Values = Record<string, string>;

const SECURITY = ['starttls', 'tls', 'none'] as const;

function initial(d?: Destination): Values {
  const s = d?.settings ?? {};
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    name: d?.name ?? '',
    chatId: str(s.chatId),
    host: str(s.host),
    port: str(s.port ?? 587),
    security: str(s.security ?? 'starttls'),
    username: str(s.username),
    from: str(s.from),
    fromName: str(s.fromName),
    to: Array.isArray(s.to) ? s.to.join(', ') : '',
    botToken: '',
    password: '',
  };
}

/** The request body: secrets only when typed (empty keeps the stored one on edit). */
export function destinationBody(kind: DestinationKind, v: Values): DestinationInput {
  const optional = (x: string) => (x.trim() ? x.trim() : undefined);
  if (kind === 'telegram') {
    return {
      name: v.name.trim(),
      kind,
      settings: { chatId: v.chatId.trim() },
      secrets: v.botToken.trim() ? { botToken: v.botToken.trim() } : {},
    };
  }
  const settings: Record<string, unknown> = {
    host: v.host.trim(),
    port: Number(v.port),
    security: v.security,
    from: v.from.trim(),
    to: v.to
      .split(/[,;\s]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  };
  for (const key of ['username', 'fromName'] as const) {
    const value = optional(v[key]);
    if (value !== undefined) {
      settings[key] = value;
    }
  }
  return { name: v.name.trim(), kind, settings, secrets: v.password ? { password: v.password } : {} };
}

interface Props {
  destination?: Destination;
  onSave: (kind: DestinationKind, body: DestinationInput) => Promise<void>;
  onDismiss: () => void;
}

/** A Telegram chat (bot token + chat id) or an SMTP mailbox; secrets are write-only. */
export function DestinationEditor({ destination, onSave, onDismiss }: Props) {
  const [kind, setKind] = useState<DestinationKind>(destination?.kind ?? 'telegram');
  const [v, setV] = useState<Values>(initial(destination));
  const [error, setError] = useState<{ message: string; fields: Record<string, string> }>();
  const [saving, setSaving] = useState(false);
  const set = (key: string) => (e: React.FormEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setV((x) => ({ ...x, [key]: value }));
  };
  const err = (path: string) => error?.fields[path];
  const secretPlaceholder = (field: string) =>
    destination?.secretFields.includes(field) ? tr('dest.secretKeep') : undefined;
  const text = (key: string, label: string, path: string, extra: Partial<React.ComponentProps<typeof Input>> = {}) => (
    <Field label={label} invalid={Boolean(err(path))} error={err(path)} description={extra.title}>
      <Input aria-label={label} value={v[key]} onChange={set(key)} {...extra} title={undefined} />
    </Field>
  );
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await onSave(kind, destinationBody(kind, v));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={destination ? tr('dest.titleEdit') : tr('dest.titleNew')} isOpen onDismiss={onDismiss}>
      <div data-testid={reportTestIds.destinationEditor}>
        {error && <Alert severity="error" title={tr('reports.actionFailed', { detail: error.message })} />}
        {!destination && (
          <Field label={tr('dest.col.kind')}>
            <RadioButtonGroup<DestinationKind>
              value={kind}
              options={[
                { value: 'telegram', label: tr('dest.kind.telegram') },
                { value: 'email', label: tr('dest.kind.email') },
              ]}
              onChange={setKind}
            />
          </Field>
        )}
        {text('name', tr('dest.col.name'), '/name')}
        {kind === 'telegram' ? (
          <>
            {text('chatId', tr('dest.chatId'), '/settings/chatId', { title: tr('dest.chatIdHint') })}
            {text('botToken', tr('dest.botToken'), '/secrets/botToken', {
              type: 'password',
              autoComplete: 'off',
              placeholder: secretPlaceholder('botToken'),
            })}
          </>
        ) : (
          <>
            <Stack gap={2}>
              {text('host', tr('dest.host'), '/settings/host')}
              {text('port', tr('dest.port'), '/settings/port', { type: 'number', width: 12 })}
              <Field label={tr('dest.security')}>
                <Combobox
                  aria-label={tr('dest.security')}
                  width={16}
                  value={v.security}
                  options={SECURITY.map((x) => ({ value: x, label: x.toUpperCase() }))}
                  onChange={(o) => setV((x) => ({ ...x, security: o.value }))}
                />
              </Field>
            </Stack>
            <Stack gap={2}>
              {text('username', tr('dest.username'), '/settings/username', { autoComplete: 'off' })}
              {text('password', tr('dest.password'), '/secrets/password', {
                type: 'password',
                autoComplete: 'new-password',
                placeholder: secretPlaceholder('password'),
              })}
            </Stack>
            <Stack gap={2}>
              {text('from', tr('dest.from'), '/settings/from')}
              {text('fromName', tr('dest.fromName'), '/settings/fromName')}
            </Stack>
            {text('to', tr('dest.to'), '/settings/to', { title: tr('dest.toHint') })}
          </>
        )}
        <Modal.ButtonRow>
          <Button variant="secondary" onClick={onDismiss}>
            {tr('editor.cancel')}
          </Button>
          <Button onClick={save} disabled={saving} data-testid={reportTestIds.destinationSave}>
            {tr('editor.save')}
          </Button>
        </Modal.ButtonRow>
      </div>
    </Modal>
  );
}
