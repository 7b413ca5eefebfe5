import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api';
import type { Attachment } from '@/lib/attachments';
import { I18nProvider } from '@/lib/i18n';
import { AttachmentsPanel, AttachmentUpload, type AttachmentSource } from './Attachments';

const stored: Attachment = {
  id: 'd1',
  update_id: null,
  checklist_item_id: 'c1',
  file_name: 'Ratsbeschluss.pdf',
  content_type: 'application/pdf',
  size_bytes: 2048,
  can_delete: true,
      uploaded_by_name: 'Lena Vogt',
  created_at: '2026-11-20T09:30:00Z',
};

function source(items: Attachment[], upload: AttachmentSource['upload'] = vi.fn()): AttachmentSource {
  return {
    queryKey: ['test', 'documents'],
    list: () => Promise.resolve({ items }),
    upload,
    download: () => Promise.resolve(new Blob(['x'])),
    remove: () => Promise.resolve(undefined),
  };
}

function wrap(ui: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">{ui}</I18nProvider>
    </QueryClientProvider>,
  );
}

describe('shared attachments', () => {
  it('lists the files with type, size, uploader, date, and delete only where allowed', async () => {
    wrap(
      <AttachmentsPanel
        source={source([stored, { ...stored, id: 'd2', file_name: 'Plan.png', content_type: 'image/png', can_delete: true,
      uploaded_by_name: null }])}
        label="Dokumente"
        emptyText="Noch keine Dokumente."
        canUpload={false}
        canDelete={(a) => a.id === 'd1'}
        note={(a) => (a.checklist_item_id ? '(zu „Ratsbeschluss“)' : null)}
      />,
    );
    const list = await screen.findByRole('list', { name: 'Dokumente' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveTextContent('Ratsbeschluss.pdf (zu „Ratsbeschluss“)');
    expect(first).toHaveTextContent('PDF, 2 KB – Lena Vogt, 20.11.2026, 10:30');
    expect(within(first as HTMLElement).getByRole('button', { name: 'Löschen: Ratsbeschluss.pdf' })).toBeInTheDocument();
    expect(second).toHaveTextContent('PNG-Bild, 2 KB – jemand');
    expect(within(second as HTMLElement).getByRole('button', { name: 'Herunterladen: Plan.png' })).toBeInTheDocument();
    expect(within(second as HTMLElement).queryByRole('button', { name: /Löschen/ })).toBeNull();
    expect(screen.queryByLabelText('Datei')).toBeNull();
  });

  it('says so when there is no file', async () => {
    wrap(<AttachmentsPanel source={source([])} label="Dokumente" emptyText="Noch keine Dokumente." canUpload canDelete={() => true} />);
    expect(await screen.findByText('Noch keine Dokumente.')).toBeInTheDocument();
    expect(screen.getByLabelText('Datei')).toBeInTheDocument();
  });

  it('sends the extra fields and shows the server messages for the file and the other fields', async () => {
    const upload = vi.fn<AttachmentSource['upload']>(() =>
      Promise.reject(
        new ApiError(422, {
          type: 'https://digitalnetzwerk.example/problems/validation',
          title: 'validation',
          status: 422,
          errors: [
            { field: 'file', message: 'Dieser Dateityp ist nicht erlaubt.' },
            { field: 'checklist_item_id', message: 'Diese Aufgabe ist Ihnen nicht zugewiesen.' },
          ],
        }),
      ),
    );
    wrap(
      <AttachmentUpload
        source={source([], upload)}
        fields={{ checklist_item_id: 'c1' }}
        title={null}
        label="Datei zu „Ratsbeschluss“ hochladen"
        fileLabel="Datei für „Ratsbeschluss“"
      />,
    );
    const user = userEvent.setup();
    const input = screen.getByLabelText('Datei für „Ratsbeschluss“');
    expect(screen.getByRole('form', { name: 'Datei zu „Ratsbeschluss“ hochladen' })).toBeInTheDocument();
    await user.upload(input, new File(['nur Text'], 'notiz.pdf', { type: 'application/pdf' }));
    await user.click(screen.getByRole('button', { name: 'Hochladen' }));
    await waitFor(() => expect(input).toHaveAccessibleDescription(/Dieser Dateityp ist nicht erlaubt\./));
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('Diese Aufgabe ist Ihnen nicht zugewiesen.');
    expect(upload).toHaveBeenCalledWith(expect.objectContaining({ name: 'notiz.pdf' }), { checklist_item_id: 'c1' });
  });

  it('enables "Hochladen" only once a file is chosen, and again disables it after the upload', async () => {
    const upload = vi.fn<AttachmentSource['upload']>(() => Promise.resolve({ ...stored, id: 'd3', file_name: 'Plan.pdf' }));
    wrap(<AttachmentUpload source={source([], upload)} />);
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Hochladen' });
    expect(button).toBeDisabled();
    await user.upload(screen.getByLabelText('Datei'), new File(['%PDF'], 'Plan.pdf', { type: 'application/pdf' }));
    expect(button).toBeEnabled();
    await user.click(button);
    expect(await screen.findByText('„Plan.pdf“ wurde hochgeladen.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hochladen' })).toBeDisabled();
  });

  it('shows our own text when the server refuses a file as too large', async () => {
    const upload = vi.fn<AttachmentSource['upload']>(() =>
      Promise.reject(new ApiError(413, { type: 'payload-too-large', title: 'too large', status: 413 })),
    );
    wrap(<AttachmentUpload source={source([], upload)} />);
    const user = userEvent.setup();
    const input = screen.getByLabelText('Datei');
    await user.upload(input, new File(['x'], 'Scan.pdf', { type: 'application/pdf' }));
    await user.click(screen.getByRole('button', { name: 'Hochladen' }));
    await waitFor(() => expect(input).toHaveAccessibleDescription(/Die Datei ist zu groß\. Erlaubt sind höchstens 20 MB\./));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
