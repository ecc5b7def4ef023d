import React from 'react';
import { Checkbox, Field, Input, RadioButtonGroup, Stack, Switch, TagsInput, TextArea } from '@grafana/ui';

import { t } from '../../../i18n';
import { FieldSpec, FieldValue, FormValues, fieldHelp, fieldLabel, keyOf } from './schemaForm';

interface Props {
  specs: FieldSpec[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (key: string, value: FieldValue) => void;
  /** Credential fields that hold a stored value (edit): shown as "stored — leave empty to keep". */
  storedCredentials?: string[];
}

function inputId(spec: FieldSpec): string {
  return `cw-${keyOf(spec).replace('.', '-')}`;
}

function Control({
  spec,
  value,
  invalid,
  stored,
  onChange,
}: {
  spec: FieldSpec;
  value: FieldValue;
  invalid: boolean;
  stored: boolean;
  onChange: (value: FieldValue) => void;
}) {
  const id = inputId(spec);
  const placeholder = stored ? t('wizard.configured') : undefined;
  switch (spec.kind) {
    case 'boolean':
      return <Switch id={id} value={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'json':
      return (
        <TextArea
          id={id}
          rows={spec.group === 'credentials' ? 6 : 4}
          invalid={invalid}
          value={String(value)}
          placeholder={placeholder ?? t('wizard.jsonPlaceholder')}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <Input
          id={id}
          type="number"
          width={20}
          invalid={invalid}
          value={String(value)}
          min={spec.schema.minimum}
          max={spec.schema.maximum}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'enum':
      return (
        <RadioButtonGroup
          id={id}
          value={String(value)}
          options={(spec.schema.enum ?? []).map((v) => ({ label: String(v), value: String(v) }))}
          onChange={(v) => onChange(v)}
        />
      );
    case 'multiEnum': {
      const selected = value as string[];
      const options = (spec.schema.items?.enum ?? []).map(String);
      return (
        <Stack id={id} gap={2} wrap="wrap">
          {options.map((option) => (
            <Checkbox
              key={option}
              label={option}
              value={selected.includes(option)}
              onChange={(e) =>
                onChange(
                  e.currentTarget.checked
                    ? options.filter((o) => o === option || selected.includes(o))
                    : selected.filter((o) => o !== option)
                )
              }
            />
          ))}
        </Stack>
      );
    }
    case 'list':
      return (
        <TagsInput id={id} tags={value as string[]} invalid={invalid} addOnBlur onChange={(tags) => onChange(tags)} />
      );
    default:
      return (
        <Input
          id={id}
          width={60}
          type={spec.kind === 'secret' ? 'password' : 'text'}
          // Browsers must not offer to save or fill provider secrets as if they were site logins.
          autoComplete={spec.group === 'credentials' ? 'new-password' : 'off'}
          invalid={invalid}
          value={String(value)}
          placeholder={placeholder}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

/** The inputs of a provider's credentials or settings, generated from its schema. */
export function SchemaFields({ specs, values, errors, onChange, storedCredentials = [] }: Props) {
  return (
    <>
      {specs.map((spec) => {
        const key = keyOf(spec);
        const stored = spec.group === 'credentials' && storedCredentials.includes(spec.name);
        return (
          <Field
            key={key}
            label={fieldLabel(spec.name)}
            description={fieldHelp(spec.name)}
            required={spec.required && !stored}
            invalid={Boolean(errors[key])}
            error={errors[key]}
            htmlFor={inputId(spec)}
          >
            <Control
              spec={spec}
              value={values[key] ?? ''}
              invalid={Boolean(errors[key])}
              stored={stored}
              onChange={(value) => onChange(key, value)}
            />
          </Field>
        );
      })}
    </>
  );
}
