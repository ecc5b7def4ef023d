import { createDataFrame, FieldType } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { changesAnnotationSupport, changesToAnnotations } from './annotations';

describe('changesToAnnotations', () => {
  it('makes one event per change with a readable title, the summary as text and tags', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000, 2000] },
        { name: 'action', type: FieldType.string, values: ['created', 'updated'] },
        { name: 'resource_type', type: FieldType.string, values: ['server', 'volume'] },
        { name: 'resource_name', type: FieldType.string, values: ['web-1', 'data-1'] },
        { name: 'provider', type: FieldType.string, values: ['yandex', 'selectel'] },
        { name: 'has_cost_change', type: FieldType.boolean, values: [false, true] },
        { name: 'has_status_change', type: FieldType.boolean, values: [false, true] },
        { name: 'has_config_change', type: FieldType.boolean, values: [false, false] },
        { name: 'changes', type: FieldType.other, values: [{}, { size_gb: [10, 20] }] },
      ],
    });
    expect(changesToAnnotations([frame])).toEqual([
      { time: 1000, title: 'Created server web-1', text: '{}', tags: ['created', 'yandex'] },
      {
        time: 2000,
        title: 'Updated volume data-1',
        text: '{"size_gb":[10,20]}',
        tags: ['updated', 'cost', 'status', 'selectel'],
      },
    ]);
  });

  it('reads the collector’s changes frame: title parts, text and its tags column', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [7] },
        { name: 'title', type: FieldType.string, values: ['web-1 updated'] },
        { name: 'text', type: FieldType.string, values: ['status "RUNNING" → "STOPPED"'] },
        { name: 'tags', type: FieldType.other, values: [['yandex', 'server', 'updated', 'status']] },
        { name: 'resource', type: FieldType.string, values: ['web-1'] },
        { name: 'resource_id', type: FieldType.string, values: ['r1'] },
        { name: 'action', type: FieldType.string, values: ['updated'] },
      ],
    });
    expect(changesToAnnotations([frame])).toEqual([
      {
        time: 7,
        title: 'Updated web-1',
        text: 'status "RUNNING" → "STOPPED"',
        tags: ['yandex', 'server', 'updated', 'status'],
      },
    ]);
  });

  it('accepts a kinds list and plainer column names, and skips frames without time', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'changed_at', type: FieldType.time, values: [5] },
        { name: 'name', type: FieldType.string, values: ['bucket-1'] },
        { name: 'kinds', type: FieldType.string, values: ['config, cost'] },
        { name: 'summary', type: FieldType.string, values: ['versioning on'] },
      ],
    });
    const timeless = createDataFrame({ fields: [{ name: 'name', type: FieldType.string, values: ['x'] }] });
    expect(changesToAnnotations([frame, timeless])).toEqual([
      { time: 5, title: 'bucket-1', text: 'versioning on', tags: ['config', 'cost'] },
    ]);
  });
});

describe('changesAnnotationSupport', () => {
  it('runs the stored target as a changes query, keeping its filters and kinds', () => {
    const query = changesAnnotationSupport.prepareQuery!({
      name: 'Changes',
      enable: true,
      iconColor: 'blue',
      target: {
        refId: 'Anno',
        queryType: 'changes',
        kinds: ['status'],
        filters: [{ dimension: 'provider', op: 'include', values: ['yandex'] }],
      },
    });
    expect(query).toEqual({
      refId: 'Anno',
      queryType: 'changes',
      actions: ['created', 'updated', 'deleted'],
      kinds: ['status'],
      filters: [{ dimension: 'provider', op: 'include', values: ['yandex'] }],
    });
  });

  it('turns an empty or foreign target into the default changes query', () => {
    expect(changesAnnotationSupport.prepareQuery!({ name: 'x', enable: true, iconColor: 'red' })).toEqual({
      refId: 'Anno',
      queryType: 'changes',
      actions: ['created', 'updated', 'deleted'],
    });
  });

  it('processes frames into events', async () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'action', type: FieldType.string, values: ['deleted'] },
      ],
    });
    const events = await lastValueFrom(
      changesAnnotationSupport.processEvents!({ name: 'x', enable: true, iconColor: 'red' }, [frame])
    );
    expect(events).toEqual([{ time: 1, title: 'Deleted', text: '', tags: ['deleted'] }]);
  });
});
