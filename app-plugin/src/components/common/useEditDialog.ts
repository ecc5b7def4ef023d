import { useState } from 'react';

/** The open dialog of a list page: the create/edit form (no item: create) or the delete confirmation. */
export type EditDialog<T> = { kind: 'form'; item?: T } | { kind: 'delete'; item: T } | undefined;

interface Ops<I> {
  create: (input: I) => Promise<unknown>;
  update: (id: string, input: I) => Promise<unknown>;
  /** Loads the list again after a change. */
  reload: () => void;
}

/**
 * Dialog state for a page that lists items and creates, edits and deletes them. `save` throws the
 * collector's refusal back to the form (which shows it and stays open); on success the dialog closes and
 * the list reloads. `closeDelete` is DeleteConfirm's `onClose`.
 */
export function useEditDialog<T extends { id: string }, I>({ create, update, reload }: Ops<I>) {
  const [dialog, setDialog] = useState<EditDialog<T>>();
  const close = () => setDialog(undefined);
  const save = async (input: I) => {
    if (dialog?.kind === 'form' && dialog.item) {
      await update(dialog.item.id, input);
    } else {
      await create(input);
    }
    close();
    reload();
  };
  const closeDelete = (done: boolean) => {
    close();
    if (done) {
      reload();
    }
  };
  return { dialog, setDialog, close, save, closeDelete };
}
