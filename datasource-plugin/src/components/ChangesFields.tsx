import React from 'react';
import { ComboboxOption, InlineField, InlineFieldRow, MultiCombobox } from '@grafana/ui';
import { ChangesQuery } from '@infrazen/contract';

import { t } from '../i18n';
import { testIds } from './testIds';

type Action = NonNullable<ChangesQuery['actions']>[number];
type Kind = NonNullable<ChangesQuery['kinds']>[number];

const ACTIONS: Action[] = ['created', 'updated', 'deleted'];
const KINDS: Kind[] = ['cost', 'status', 'config'];

const isAction = (value: string): value is Action => (ACTIONS as string[]).includes(value);
const isKind = (value: string): value is Kind => (KINDS as string[]).includes(value);

interface Props {
  query: ChangesQuery;
  /** Receives the edited changes fields; the caller merges them into its query and runs it. */
  onChange: (fields: Pick<ChangesQuery, 'actions' | 'kinds'>) => void;
}

/** Which changes to list; shared by the query editor and the annotation editor. */
export function ChangesFields({ query, onChange }: Props) {
  const actions: Array<ComboboxOption<string>> = ACTIONS.map((value) => ({ value, label: t(`change.${value}`) }));
  const kinds: Array<ComboboxOption<string>> = KINDS.map((value) => ({ value, label: t(`kind.${value}`) }));

  return (
    <InlineFieldRow>
      <InlineField label={t('changes.actions')} labelWidth={16}>
        <MultiCombobox
          data-testid={testIds.queryEditor.actions}
          options={actions}
          value={query.actions ?? []}
          width="auto"
          minWidth={24}
          onChange={(selected) =>
            onChange({ actions: selected.map((o) => o.value).filter(isAction), kinds: query.kinds })
          }
        />
      </InlineField>
      <InlineField label={t('changes.kinds')} labelWidth={10} tooltip={t('changes.kinds.tooltip')}>
        <MultiCombobox
          data-testid={testIds.queryEditor.kinds}
          placeholder={t('changes.kinds.placeholder')}
          options={kinds}
          value={query.kinds ?? []}
          width="auto"
          minWidth={24}
          onChange={(selected) =>
            onChange({ actions: query.actions, kinds: selected.map((o) => o.value).filter(isKind) })
          }
        />
      </InlineField>
    </InlineFieldRow>
  );
}
