import React, { useState } from 'react';
import { Button, ConfirmModal, Stack, Tab, TabsBar } from '@grafana/ui';

import { describeError } from '../../api/errors';
import { Notice, NoticeState } from '../../components/common/Notice';
import { Page } from '../../components/common/Page';
import { Loadable } from '../../components/common/Loadable';
import { Empty } from '../../components/common/States';
import { currentLanguage } from '../../i18n';
import { useCanWrite } from '../../utils/roles';
import { useLoad } from '../../utils/useLoad';
import { DownloadedFile, FileFormat, Report, ReportInput, reportsApi, saveFile } from './api';
import { Destinations } from './Destinations';
import { PreviewModal } from './PreviewModal';
import { DEFAULT_DEFINITION, ReportEditor } from './ReportEditor';
import { ReportList } from './ReportList';
import { tr } from './strings';
import { reportTestIds } from './testIds';

type PageTab = 'reports' | 'destinations';
type Dialog = { kind: 'edit'; report?: Report } | { kind: 'delete'; report: Report } | undefined;

/** Reports: define, preview, schedule, run now, download from the archive, and where they are delivered. */
function Reports() {
  const canEdit = useCanWrite('Editor');
  const [tab, setTab] = useState<PageTab>('reports');
  const reports = useLoad(() => reportsApi.list(), []);
  const destinations = useLoad(() => reportsApi.destinations(), []);
  const [dialog, setDialog] = useState<Dialog>();
  const [openArchive, setOpenArchive] = useState<string>();
  const [refreshKey, setRefreshKey] = useState(0);
  const [notice, setNotice] = useState<NoticeState>();
  // Separate from `dialog`: a preview opens on top of the editor without closing it.
  const [previewing, setPreviewing] = useState<{ title: string; file: DownloadedFile }>();

  const fail = (err: unknown) =>
    setNotice({ ok: false, text: tr('reports.actionFailed', { detail: describeError(err).message }) });
  const preview = (title: string, load: () => Promise<DownloadedFile>) => {
    setNotice(undefined);
    load().then(
      (file) => setPreviewing({ title, file }),
      (err) => setNotice({ ok: false, text: tr('reports.previewFailed', { detail: describeError(err).message }) })
    );
  };
  const download = (report: Report, format: FileFormat) => reportsApi.render(report, format).then(saveFile, fail);
  const run = (report: Report) => {
    setNotice(undefined);
    reportsApi.runNow(report.id).then(() => {
      setNotice({ ok: true, text: tr('reports.runStarted') });
      setOpenArchive(report.id);
      setRefreshKey((k) => k + 1);
      reports.reload();
    }, fail);
  };
  const save = async (input: ReportInput) => {
    const current = dialog?.kind === 'edit' ? dialog.report : undefined;
    if (current) {
      await reportsApi.update(current.id, input);
    } else {
      await reportsApi.create(input);
    }
    setDialog(undefined);
    reports.reload();
  };
  const remove = (report: Report) =>
    reportsApi.remove(report.id).then(() => {
      setDialog(undefined);
      reports.reload();
    }, fail);

  const items = reports.value ?? [];
  return (
    <Page
      testId={reportTestIds.container}
      subTitle={tr('reports.subtitle')}
      actions={
        canEdit && tab === 'reports' ? (
          <Button icon="plus" onClick={() => setDialog({ kind: 'edit' })} data-testid={reportTestIds.add}>
            {tr('reports.add')}
          </Button>
        ) : undefined
      }
    >
      <Stack direction="column" gap={2}>
        <TabsBar>
          {(['reports', 'destinations'] as const).map((key) => (
            <Tab key={key} label={tr(`reports.tab.${key}`)} active={tab === key} onChangeTab={() => setTab(key)} />
          ))}
        </TabsBar>
        <Notice notice={notice} onRemove={() => setNotice(undefined)} testId={reportTestIds.notice} />
        {tab === 'destinations' ? (
          <Loadable state={destinations}>
            {(list) => <Destinations items={list} canEdit={canEdit} onChanged={destinations.reload} />}
          </Loadable>
        ) : (
          <Loadable
            state={reports}
            empty={<Empty compact message={canEdit ? tr('reports.empty') : tr('reports.emptyViewer')} />}
            isEmpty={() => items.length === 0}
          >
            {() => (
              <ReportList
                reports={items}
                canEdit={canEdit}
                openArchive={openArchive}
                refreshKey={refreshKey}
                onPreview={(r) => preview(r.name, () => reportsApi.render(r, 'pdf'))}
                onDownload={download}
                onRun={run}
                onEdit={(r) => setDialog({ kind: 'edit', report: r })}
                onDelete={(r) => setDialog({ kind: 'delete', report: r })}
                onToggleArchive={(r) => setOpenArchive((open) => (open === r.id ? undefined : r.id))}
              />
            )}
          </Loadable>
        )}
      </Stack>
      {dialog?.kind === 'edit' && (
        <ReportEditor
          report={dialog.report}
          destinations={destinations.value ?? []}
          initialDefinition={{ ...DEFAULT_DEFINITION, language: currentLanguage() }}
          onSave={save}
          onPreview={(input) =>
            preview(input.name || tr('reports.preview'), () =>
              reportsApi.preview(
                {
                  name: input.name || tr('reports.preview'),
                  definition: input.definition,
                  timezone: input.schedule?.timezone,
                },
                'pdf'
              )
            )
          }
          onDismiss={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmModal
          isOpen
          title={tr('reports.delete.title', { name: dialog.report.name })}
          body={tr('reports.delete.body')}
          confirmText={tr('reports.delete')}
          onConfirm={() => remove(dialog.report)}
          onDismiss={() => setDialog(undefined)}
        />
      )}
      {previewing && (
        <PreviewModal title={previewing.title} file={previewing.file} onDismiss={() => setPreviewing(undefined)} />
      )}
    </Page>
  );
}

export default Reports;
