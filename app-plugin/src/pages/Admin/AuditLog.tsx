import React, { useState } from 'react';
import { Button, Field, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import type { AuditEntry, AuditFilter } from '../../api/types';
import { Loadable } from '../../components/common/Loadable';
import { Empty, LoadError } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { TextField } from '../../components/common/TextField';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatDateTime } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';

const PAGE = 100;

interface Filters {
  from: string;
  to: string;
  actor: string;
  action: string;
  targetKind: string;
}

const NONE: Filters = { from: '', to: '', actor: '', action: '', targetKind: '' };

/** The form's filters as query parameters: whole days in local time, empty fields left out. */
export function toAuditFilter(f: Filters): AuditFilter {
  return {
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : undefined,
    to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : undefined,
    actor: f.actor.trim() || undefined,
    action: f.action.trim() || undefined,
    targetKind: f.targetKind.trim() || undefined,
    limit: PAGE,
  };
}

/** The append-only audit log, newest first, filtered and paged by `before`. */
export function AuditLog() {
  const s = useStyles2(getTableStyles);
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const [older, setOlder] = useState<{ items: AuditEntry[]; nextBefore: string | null }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const first = useLoad(() => api.audit(toAuditFilter(applied)), [applied]);

  const items = [...(first.value?.items ?? []), ...(older?.items ?? [])];
  const nextBefore = older ? older.nextBefore : first.value?.nextBefore;
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));

  const loadMore = async () => {
    if (!nextBefore) {
      return;
    }
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.audit({ ...toAuditFilter(applied), before: nextBefore });
      setOlder({ items: [...(older?.items ?? []), ...page.items], nextBefore: page.nextBefore });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div data-testid={testIds.admin.audit}>
      <Stack direction="column" gap={2}>
        <Text color="secondary">{t('audit.help')}</Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setOlder(undefined);
            setApplied(draft);
          }}
        >
          <Stack gap={2} wrap="wrap" alignItems="flex-end">
            <TextField
              label={t('audit.from')}
              id="audit-from"
              type="date"
              width={20}
              value={draft.from}
              onChange={(from) => set({ from })}
            />
            <TextField
              label={t('audit.to')}
              id="audit-to"
              type="date"
              width={20}
              value={draft.to}
              onChange={(to) => set({ to })}
            />
            <TextField
              label={t('audit.actor')}
              id="audit-actor"
              testId={testIds.admin.auditActor}
              width={24}
              value={draft.actor}
              onChange={(actor) => set({ actor })}
            />
            <TextField
              label={t('audit.action')}
              id="audit-action"
              width={24}
              placeholder="connection.update"
              value={draft.action}
              onChange={(action) => set({ action })}
            />
            <TextField
              label={t('audit.target')}
              id="audit-target"
              width={20}
              placeholder="budget"
              value={draft.targetKind}
              onChange={(targetKind) => set({ targetKind })}
            />
            <Field>
              <Button type="submit" icon="filter" data-testid={testIds.admin.auditApply}>
                {t('audit.apply')}
              </Button>
            </Field>
          </Stack>
        </form>
        <Loadable state={first} empty={<Empty compact message={t('audit.empty')} />} isEmpty={() => items.length === 0}>
          {() => (
            <>
              <table className={s.table}>
                <thead>
                  <tr>
                    <th>{t('audit.col.at')}</th>
                    <th>{t('audit.col.actor')}</th>
                    <th>{t('audit.col.action')}</th>
                    <th>{t('audit.col.target')}</th>
                    <th>{t('audit.col.summary')}</th>
                    <th>{t('audit.col.source')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.id}>
                      <td>{formatDateTime(e.at)}</td>
                      <td>
                        {e.actor}
                        {e.actorKind !== 'user' && (
                          <Text color="secondary" variant="bodySmall">
                            {' '}
                            ({e.actorKind})
                          </Text>
                        )}
                      </td>
                      <td>
                        <code>{e.action}</code>
                      </td>
                      <td>
                        {e.targetKind}
                        {e.targetId ? ` ${e.targetId}` : ''}
                      </td>
                      <td>{e.summary}</td>
                      <td>{e.sourceAddress ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {moreError !== undefined && <LoadError error={moreError} onRetry={loadMore} />}
              {nextBefore && (
                <div>
                  <Button
                    variant="secondary"
                    onClick={loadMore}
                    disabled={loadingMore}
                    data-testid={testIds.admin.auditMore}
                  >
                    {t('audit.more')}
                  </Button>
                </div>
              )}
            </>
          )}
        </Loadable>
      </Stack>
    </div>
  );
}
