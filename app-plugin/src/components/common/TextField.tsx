import React, { ComponentProps } from 'react';
import { Field, Input } from '@grafana/ui';

type InputProps = Omit<ComponentProps<typeof Input>, 'value' | 'onChange'>;

interface Props extends InputProps {
  /** Also the input's id, so the label is tied to it. */
  id: string;
  label: string;
  description?: string;
  required?: boolean;
  /** The validation message under the field; marks it invalid. */
  error?: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
}

/** A labelled text input with its validation message: the form row every editor repeats. */
export function TextField({ label, description, required, error, value, onChange, testId, ...input }: Props) {
  return (
    <Field label={label} description={description} required={required} invalid={Boolean(error)} error={error}>
      <Input {...input} data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value)} />
    </Field>
  );
}
