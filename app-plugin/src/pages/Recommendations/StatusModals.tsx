import React, { useState } from 'react';
import { Field, TextArea } from '@grafana/ui';

import { describeError } from '../../api/errors';
import type { Recommendation, RecommendationPatch } from '../../api/types';
import { FormModal } from '../../components/common/FormModal';
import { TextField } from '../../components/common/TextField';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';

const MAX_REASON = 1000;

/** Reason is required (the collector refuses a dismiss without one) and bounded. */
export function reasonError(reason: string): string | undefined {
  const trimmed = reason.trim();
  if (!trimmed) {
    return t('form.required');
  }
  return trimmed.length > MAX_REASON ? t('form.tooLong', { max: MAX_REASON }) : undefined;
}

/** A snooze ends at the start of the chosen day (local time), which must be in the future. */
export function snoozeUntil(day: string, now: Date = new Date()): { iso?: string; error?: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return { error: t('form.required') };
  }
  const until = new Date(`${day}T00:00:00`);
  if (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime()) {
    return { error: t('recs.snooze.future') };
  }
  return { iso: until.toISOString() };
}

interface Props {
  recommendation: Recommendation;
  onSubmit: (patch: RecommendationPatch) => Promise<void>;
  onDismiss: () => void;
}

function useSubmit(onSubmit: Props['onSubmit']) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (patch: RecommendationPatch) => {
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(patch);
    } catch (err) {
      setError(t('error.actionFailed', { detail: describeError(err).message }));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

export function DismissModal({ recommendation, onSubmit, onDismiss }: Props) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, submit } = useSubmit(onSubmit);
  const invalid = touched ? reasonError(reason) : undefined;

  return (
    <FormModal
      title={t('recs.dismiss.title', { title: recommendation.title })}
      submitLabel={t('recs.dismiss')}
      submitVariant="destructive"
      submitTestId={testIds.recommendations.confirm}
      busy={busy}
      error={error}
      onDismiss={onDismiss}
      onSubmit={() => {
        setTouched(true);
        if (!reasonError(reason)) {
          submit({ status: 'dismissed', reason: reason.trim() });
        }
      }}
    >
      <Field
        label={t('recs.dismiss.reason')}
        description={t('recs.dismiss.reason.help')}
        required
        invalid={Boolean(invalid)}
        error={invalid}
      >
        <TextArea
          id="rec-reason"
          data-testid={testIds.recommendations.reason}
          value={reason}
          rows={3}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
      </Field>
    </FormModal>
  );
}

export function SnoozeModal({ recommendation, onSubmit, onDismiss }: Props) {
  const [day, setDay] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, submit } = useSubmit(onSubmit);
  const result = snoozeUntil(day);
  const invalid = touched ? result.error : undefined;

  return (
    <FormModal
      title={t('recs.snooze.title', { title: recommendation.title })}
      submitLabel={t('recs.snooze')}
      submitTestId={testIds.recommendations.confirm}
      busy={busy}
      error={error}
      onDismiss={onDismiss}
      onSubmit={() => {
        setTouched(true);
        if (result.iso) {
          submit({ status: 'snoozed', snoozedUntil: result.iso });
        }
      }}
    >
      <TextField
        label={t('recs.snooze.until')}
        description={t('recs.snooze.until.help')}
        required
        error={invalid}
        id="rec-until"
        type="date"
        testId={testIds.recommendations.until}
        value={day}
        width={24}
        onChange={setDay}
      />
    </FormModal>
  );
}
