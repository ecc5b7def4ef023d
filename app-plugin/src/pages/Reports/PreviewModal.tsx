import React, { useEffect, useMemo } from 'react';
import { css } from '@emotion/css';
import { Button, Modal } from '@grafana/ui';

import { DownloadedFile, saveFile } from './api';
import { tr } from './strings';
import { reportTestIds } from './testIds';

const frame = css({ width: '100%', height: '70vh', border: 'none', background: '#fff' });

/** The rendered PDF in the browser's own viewer, with a download button. */
export function PreviewModal({
  title,
  file,
  onDismiss,
}: {
  title: string;
  file: DownloadedFile;
  onDismiss: () => void;
}) {
  const url = useMemo(() => URL.createObjectURL(file.blob), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <Modal title={tr('reports.previewTitle', { name: title })} isOpen onDismiss={onDismiss}>
      <iframe title={file.fileName} src={url} className={frame} data-testid={reportTestIds.previewFrame} />
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onDismiss}>
          {tr('editor.cancel')}
        </Button>
        <Button icon="download-alt" onClick={() => saveFile(file)}>
          {tr('reports.download')}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}
