// The "Anhänge" section of a support request: who may reply publicly (the district's coordinators,
// the town's officers) uploads; members only read; the uploader or a coordinator deletes.
import { AttachmentsPanel, type AttachmentSource } from '@/components';
import { mayDeleteAttachment } from '@/lib/attachments';
import { useT } from '@/lib/i18n';
import { supportApi } from './api';
import { supportKeys } from './queries';
import type { SupportRequest } from './types';

export function attachmentSource(requestId: string): AttachmentSource {
  return {
    queryKey: supportKeys.attachments(requestId),
    list: () => supportApi.attachments(requestId),
    upload: (file) => supportApi.uploadAttachment(requestId, file),
    download: (attachmentId) => supportApi.downloadAttachment(requestId, attachmentId),
    remove: (attachmentId) => supportApi.deleteAttachment(requestId, attachmentId),
  };
}

/** Who may reply publicly (and attach files to it), as the server says on the request. */
export function mayReplyPublicly(request: Pick<SupportRequest, 'can_reply'>): boolean {
  return request.can_reply;
}

export function RequestAttachments({ request }: { request: SupportRequest }) {
  const t = useT();
  const canUpload = mayReplyPublicly(request);
  return (
    <section className="kern-stack dn-section" aria-labelledby="request-attachments">
      <h2 className="kern-heading-medium" id="request-attachments">
        {t('support.attachments.title')}
      </h2>
      {request.can_triage ? <p className="kern-body kern-body--small">{t('support.attachments.townSees')}</p> : null}
      <AttachmentsPanel
        source={attachmentSource(request.id)}
        label={t('support.attachments.title')}
        emptyText={t('support.attachments.none')}
        canUpload={canUpload}
        canDelete={(a) => mayDeleteAttachment(a)}
      />
    </section>
  );
}
