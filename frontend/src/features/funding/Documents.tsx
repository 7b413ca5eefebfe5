// An application's documents: the "Dokumente" section (managers upload, with or without a checklist
// item) and, per checklist item, its documents plus an upload for whoever may tick the item.
import { AttachmentList, AttachmentsPanel, AttachmentUpload, useAttachmentList, type AttachmentSource } from '@/components';
import { attachmentsOf, mayDeleteAttachment } from '@/lib/attachments';
import { useT } from '@/lib/i18n';
import { fundingApi } from './api';
import { fundingKeys } from './queries';
import type { ApplicationDetail, ChecklistItem } from './types';

export function documentSource(applicationId: string): AttachmentSource {
  return {
    queryKey: fundingKeys.documents(applicationId),
    list: () => fundingApi.documents(applicationId),
    upload: (file, fields) => fundingApi.uploadDocument(applicationId, file, fields.checklist_item_id),
    download: (documentId) => fundingApi.downloadDocument(applicationId, documentId),
    remove: (documentId) => fundingApi.deleteDocument(applicationId, documentId),
  };
}

export function DocumentsSection({ application: a }: { application: ApplicationDetail }) {
  const t = useT();
  const titles = new Map(a.checklist.map((c) => [c.id, c.title]));
  return (
    <section className="kern-stack dn-section" aria-labelledby="documents">
      <h2 className="kern-heading-medium" id="documents">
        {t('funding.documents.title')}
      </h2>
      {a.can_manage && a.checklist.length ? <p className="kern-body kern-body--small">{t('funding.documents.checklistHint')}</p> : null}
      <AttachmentsPanel
        source={documentSource(a.id)}
        label={t('funding.documents.title')}
        emptyText={t('funding.documents.none')}
        canUpload={a.can_manage}
        canDelete={(d) => mayDeleteAttachment(d)}
        note={(d) => {
          const title = d.checklist_item_id ? titles.get(d.checklist_item_id) : undefined;
          return title ? <span className="kern-body kern-body--small">({t('attachments.forItem', { title })})</span> : null;
        }}
      />
    </section>
  );
}

/** Below a checklist item: its documents, and an upload for the assignee (and managers). */
export function ChecklistDocuments({ application: a, item }: { application: ApplicationDetail; item: ChecklistItem }) {
  const t = useT();
  const source = documentSource(a.id);
  const list = useAttachmentList(source);
  const mine = attachmentsOf(list.data?.items ?? [], item.id);
  return (
    <>
      {mine.length ? (
        <AttachmentList
          source={source}
          items={mine}
          label={t('funding.documents.ofItem', { title: item.title })}
          canDelete={(d) => mayDeleteAttachment(d)}
        />
      ) : null}
      {item.can_tick ? (
        <details className="dn-details">
          <summary className="kern-body">{t('attachments.uploadFor', { title: item.title })}</summary>
          <AttachmentUpload
            source={source}
            fields={{ checklist_item_id: item.id }}
            title={null}
            label={t('attachments.uploadFor', { title: item.title })}
            fileLabel={t('attachments.fileFor', { title: item.title })}
          />
        </details>
      ) : null}
    </>
  );
}
