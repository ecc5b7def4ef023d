import React, { useMemo, useState } from 'react';
import { Alert, Button, CollapsableSection, Field, Modal, Stack, Switch, Text } from '@grafana/ui';

import { api } from '../../../api/client';
import { describeError } from '../../../api/errors';
import type { Connection, ConnectionPatch, ProviderDescription } from '../../../api/types';
import { providerName } from '../../../components/common/ProviderBadge';
import { TextField } from '../../../components/common/TextField';
import { testIds } from '../../../components/testIds';
import { t } from '../../../i18n';
import { ProviderPicker } from './ProviderPicker';
import { SchemaFields } from './SchemaFields';
import { TestResult, TestState } from './TestResult';
import {
  FieldSpec,
  FormValues,
  fieldsOf,
  initialValues,
  isFiveFieldCron,
  keyOf,
  pointerOf,
  toPayload,
  validate,
} from './schemaForm';

type Props = { providers: ProviderDescription[]; onClose: (changed: boolean) => void } & (
  { mode: 'create'; connection?: undefined } | { mode: 'edit'; connection: Connection }
);

function specsOf(provider: ProviderDescription | undefined): FieldSpec[] {
  return provider ? [...fieldsOf(provider.credentials, 'credentials'), ...fieldsOf(provider.settings, 'settings')] : [];
}

/**
 * Add or edit a connection. New connections are tested before they are saved: the first test stores
 * the connection disabled (the collector tests stored connections only, with the stored credentials),
 * Save enables it, and Cancel purges the draft. Edits are saved, then tested at once.
 */
export function ConnectionWizard(props: Props) {
  const { providers, onClose, mode } = props;
  const editing = props.connection;
  const [provider, setProvider] = useState<ProviderDescription | undefined>(() =>
    editing ? providers.find((p) => p.provider === editing.provider) : undefined
  );
  const specs = useMemo(() => specsOf(provider), [provider]);
  const initial = useMemo(() => initialValues(specs, editing?.settings), [specs, editing]);
  const [values, setValues] = useState<FormValues>(initial);
  const [name, setName] = useState(editing?.name ?? '');
  const [schedule, setSchedule] = useState(editing?.schedule ?? '');
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  // Create: the disabled draft the tests run against, and the values it holds.
  const [draft, setDraft] = useState<{ id: string; values: FormValues; tested?: string }>();
  const [saved, setSaved] = useState(false);

  const stored = editing?.credentialFields ?? [];
  const snapshot = JSON.stringify({ name, schedule, values });
  const dirty =
    mode === 'edit' &&
    (snapshot !== JSON.stringify({ name: editing?.name, schedule: editing?.schedule ?? '', values: initial }) ||
      enabled !== editing?.enabled);

  const choose = (p: ProviderDescription) => {
    setProvider(p);
    setValues(initialValues(specsOf(p)));
  };

  const checkAll = (): boolean => {
    const next = validate(specs, values, mode, stored);
    if (!name.trim()) {
      next.name = t('form.required');
    }
    if (schedule.trim() && !isFiveFieldCron(schedule)) {
      next.schedule = t('wizard.schedule.invalid');
    }
    setErrors(next);
    setFormError(Object.keys(next).length ? t('wizard.fixErrors') : undefined);
    return Object.keys(next).length === 0;
  };

  /** The collector's 400 details land on their fields; anything else is one message. */
  const showServerError = (err: unknown) => {
    const info = describeError(err);
    const next: Record<string, string> = {};
    for (const [pointer, message] of Object.entries(info.fields)) {
      const spec = specs.find((s) => pointer === pointerOf(s) || pointer.startsWith(`${pointerOf(s)}/`));
      if (spec) {
        next[keyOf(spec)] = message;
      } else if (pointer === '/name' || pointer === '/schedule') {
        next[pointer.slice(1)] = message;
      }
    }
    setErrors(next);
    setFormError(info.message);
  };

  const runTest = async (connectionId: string) => {
    setTest({ state: 'running' });
    const result = await api.testConnection(connectionId);
    setTest(result.ok ? { state: 'ok', account: result.account } : { state: 'failed', ...result.error });
    return result;
  };

  const onTestDraft = async () => {
    if (!provider || !checkAll()) {
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      let id = draft?.id;
      if (!id) {
        const payload = toPayload(specs, values, 'create');
        const created = await api.createConnection({
          name: name.trim(),
          provider: provider.provider,
          ...payload,
          schedule: schedule.trim() || null,
          enabled: false,
        });
        id = created.id;
      } else {
        const payload = toPayload(specs, values, 'edit', draft?.values);
        await api.updateConnection(id, { name: name.trim(), ...payload, schedule: schedule.trim() || null });
      }
      setDraft({ id, values, tested: snapshot });
      await runTest(id);
    } catch (err) {
      setTest({ state: 'idle' });
      showServerError(err);
    } finally {
      setBusy(false);
    }
  };

  const onSaveCreate = async () => {
    if (!provider || !checkAll()) {
      return;
    }
    setBusy(true);
    try {
      if (draft) {
        await api.updateConnection(draft.id, { enabled: true });
      } else {
        // Providers without an API to test (FOCUS) are saved directly.
        await api.createConnection({
          name: name.trim(),
          provider: provider.provider,
          ...toPayload(specs, values, 'create'),
          schedule: schedule.trim() || null,
          enabled: true,
        });
      }
      onClose(true);
    } catch (err) {
      showServerError(err);
      setBusy(false);
    }
  };

  const onSaveEdit = async () => {
    if (!editing || !provider || !checkAll()) {
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      const { credentials, settings } = toPayload(specs, values, 'edit', initial);
      const patch: ConnectionPatch = {};
      if (name.trim() !== editing.name) {
        patch.name = name.trim();
      }
      if (Object.keys(credentials).length) {
        patch.credentials = credentials;
      }
      if (Object.keys(settings).length) {
        patch.settings = settings;
      }
      if ((schedule.trim() || null) !== editing.schedule) {
        patch.schedule = schedule.trim() || null;
      }
      if (enabled !== editing.enabled) {
        patch.enabled = enabled;
      }
      if (Object.keys(patch).length) {
        await api.updateConnection(editing.id, patch);
        setSaved(true);
      }
      if (provider.syncs && (patch.credentials || patch.settings)) {
        const result = await runTest(editing.id);
        if (!result.ok) {
          setFormError(t('wizard.savedTestFailed', result.error));
          setBusy(false);
          return;
        }
      }
      onClose(true);
    } catch (err) {
      showServerError(err);
      setBusy(false);
    }
  };

  const onTestSaved = async () => {
    if (!editing) {
      return;
    }
    setBusy(true);
    try {
      await runTest(editing.id);
    } catch (err) {
      setTest({ state: 'idle' });
      showServerError(err);
    } finally {
      setBusy(false);
    }
  };

  const onDismiss = async () => {
    if (draft) {
      // The draft was only ever a vehicle for the test; leave nothing behind.
      await api.deleteConnection(draft.id, true).catch(() => undefined);
    }
    onClose(saved);
  };

  const title = mode === 'edit' ? t('wizard.editTitle', { name: editing?.name ?? '' }) : t('wizard.addTitle');
  const basic = specs.filter((s) => s.group === 'settings' && !s.advanced);
  const advanced = specs.filter((s) => s.group === 'settings' && s.advanced);
  const credentials = specs.filter((s) => s.group === 'credentials');
  const onField = (key: string, value: FormValues[string]) => setValues((v) => ({ ...v, [key]: value }));
  const testedCurrent = draft?.tested === snapshot && test.state === 'ok';

  let saveHint: string | undefined;
  if (mode === 'create' && provider?.syncs && !testedCurrent) {
    saveHint = draft?.tested && draft.tested !== snapshot ? t('wizard.retest') : t('wizard.testFirst');
  }

  return (
    <Modal title={title} isOpen onDismiss={onDismiss} closeOnEscape={!busy} closeOnBackdropClick={false}>
      <div data-testid={testIds.connections.wizard}>
        {!provider ? (
          <ProviderPicker providers={providers} onChoose={choose} />
        ) : (
          <>
            <TextField
              label={t('wizard.name')}
              description={t('wizard.name.help')}
              required
              error={errors.name}
              id="cw-name"
              value={name}
              onChange={setName}
              width={60}
            />
            {credentials.length > 0 && (
              <>
                <Text element="h5">{t('wizard.credentials')}</Text>
                <Text color="secondary" element="p" variant="bodySmall">
                  {t('wizard.credentials.help')}
                </Text>
                <SchemaFields
                  specs={credentials}
                  values={values}
                  errors={errors}
                  onChange={onField}
                  storedCredentials={stored}
                />
              </>
            )}
            <Text element="h5">{t('wizard.settings')}</Text>
            <SchemaFields specs={basic} values={values} errors={errors} onChange={onField} />
            <TextField
              label={t('wizard.schedule')}
              description={t('wizard.schedule.help')}
              error={errors.schedule}
              id="cw-schedule"
              value={schedule}
              placeholder="0 * * * *"
              width={30}
              onChange={setSchedule}
            />
            {mode === 'edit' && (
              <Field label={t('wizard.enabled')}>
                <Switch id="cw-enabled" value={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
              </Field>
            )}
            {advanced.length > 0 && (
              <CollapsableSection label={t('wizard.advanced')} isOpen={false}>
                <SchemaFields specs={advanced} values={values} errors={errors} onChange={onField} />
              </CollapsableSection>
            )}
            {!provider.syncs && (
              <Alert severity="info" title={t('wizard.noTest', { provider: providerName(provider.provider) })} />
            )}
            {formError && <Alert severity="error" title={formError} />}
            <TestResult test={test} />
          </>
        )}
        <Modal.ButtonRow>
          <Button variant="secondary" fill="outline" onClick={onDismiss} disabled={busy}>
            {t('action.cancel')}
          </Button>
          {provider && mode === 'create' && provider.syncs && (
            <Button
              variant="secondary"
              icon={test.state === 'running' ? 'spinner' : 'heart-rate'}
              onClick={onTestDraft}
              disabled={busy}
              data-testid={testIds.connections.wizardTest}
            >
              {test.state === 'running' ? t('wizard.testing') : t('wizard.test')}
            </Button>
          )}
          {provider && mode === 'edit' && provider.syncs && (
            <Button
              variant="secondary"
              icon="heart-rate"
              onClick={onTestSaved}
              disabled={busy || dirty}
              tooltip={dirty ? t('wizard.unsavedTest') : undefined}
              data-testid={testIds.connections.wizardTest}
            >
              {t('wizard.testSaved')}
            </Button>
          )}
          {provider && (
            <Stack alignItems="center" gap={1}>
              {saveHint && (
                <Text color="secondary" variant="bodySmall">
                  {saveHint}
                </Text>
              )}
              <Button
                onClick={mode === 'edit' ? onSaveEdit : onSaveCreate}
                disabled={busy || Boolean(saveHint)}
                data-testid={testIds.connections.wizardSave}
              >
                {t('action.save')}
              </Button>
            </Stack>
          )}
        </Modal.ButtonRow>
      </div>
    </Modal>
  );
}
